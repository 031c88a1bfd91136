using System.Diagnostics;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.T5;

[Trait("Category", "Fast")]
public class StepBreakdownTests
{
    private static readonly T5Config Tiny = new()
    {
        VocabSize = 32, DModel = 16, DKv = 4, DFf = 32, NumHeads = 2, NumLayers = 2, NumDecoderLayers = 2,
    };

    [Fact]
    public void A_section_excludes_the_sections_opened_inside_it()
    {
        var breakdown = new StepBreakdown();
        var outer = Stopwatch.StartNew();
        using (breakdown.Record())
        using (StepBreakdown.Time("outer"))
        {
            Work(TimeSpan.FromMilliseconds(20));
            using (StepBreakdown.Time("inner"))
                Work(TimeSpan.FromMilliseconds(40));
        }
        var total = outer.Elapsed.TotalSeconds;

        Assert.InRange(breakdown.Seconds["inner"], 0.040, total);
        Assert.InRange(breakdown.Seconds["outer"], 0.020, total - breakdown.Seconds["inner"]);
    }

    [Fact]
    public void Without_a_recording_sections_record_nothing_and_recordings_do_not_nest()
    {
        var breakdown = new StepBreakdown();
        using (StepBreakdown.Time("ignored"))
            Work(TimeSpan.FromMilliseconds(1));
        Assert.Empty(breakdown.Seconds);

        using (breakdown.Record())
            Assert.Throws<InvalidOperationException>(() => new StepBreakdown().Record());
        using (breakdown.Record()) { } // the first recording ended: a new one may start
    }

    [Fact]
    public void A_step_of_the_model_reports_every_forward_and_backward_section()
    {
        using var scope = NewDisposeScope();
        using var model = T5Model.CreateRandom(Tiny, seed: 3);
        var embeds = randn(2, 5, Tiny.DModel).requires_grad_(true);
        var mask = ones(2, 5, ScalarType.Int64);
        var labels = tensor(new long[] { 4, 5, 1, 6, 1, -100 }, [2, 3]);
        var times = new StepTimes(CPU, breakdown: true);

        using (times.Measure(counted: true))
        {
            var loss = T5Model.Loss(model.forward(embeds, mask, T5Model.ShiftRight(labels, 0, 0)), labels);
            using (StepBreakdown.Time(StepBreakdown.Backward))
                loss.backward();
        }

        var sections = times.SecondsPerStepBySection;
        foreach (var name in new[] { StepBreakdown.Attention, StepBreakdown.FeedForward, StepBreakdown.LayerNorm, StepBreakdown.Residual,
                     StepBreakdown.PositionBiasAndMasks, StepBreakdown.Embeddings, StepBreakdown.LmHeadAndLoss, StepBreakdown.Backward, "other" })
            Assert.True(sections.ContainsKey(name), $"no '{name}' section in [{string.Join(", ", sections.Keys)}]");
        Assert.Equal(times.MeanSeconds, sections.Values.Sum(), 6);
        Assert.NotNull(embeds.grad);
    }

    // Busy work for a given time: the sections measure it, nothing waits on it.
    private static void Work(TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration) Thread.SpinWait(100);
    }
}
