using Accept.Training.Optim;
using Accept.Training.Prompts;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Tests.Engine;

/// <summary>
/// Snapshots, state dicts and the finite-gradient guard are called outside any dispose scope (checkpoint
/// capture, grains): whatever they create in between must not outlive the call.
/// </summary>
[Trait("Category", "Fast")]
public class ScopeFreeCallTests
{
    private static readonly PromptLayout Layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2 }.Validated();

    [Fact]
    public void Clones_and_state_dicts_leave_only_the_tensors_the_caller_disposes()
    {
        using var group = new CodebookGroup("g", Layout, new CodebookGroupOptions(new LinearSchedule(0.3, 2, 50), new LinearSchedule(0.01, 2, 50)), 1);
        using var adapter = new TaskAdapter("t", Layout, 1);

        void Call()
        {
            DisposeAll(group.Snapshot());
            DisposeAll(group.StateDict());
            DisposeAll(adapter.StateDict());
        }

        AssertNoTensorsLeft(Call);
    }

    [Fact]
    public void The_finite_gradient_guard_leaves_no_tensors_behind()
    {
        using var finite = tensor(new float[] { 1, 2, 3 });
        using var poisoned = tensor(new float[] { 1, float.NaN });
        var results = new List<bool>();

        AssertNoTensorsLeft(() =>
        {
            results.Add(GradientGuard.AllFinite([finite, finite]));
            results.Add(GradientGuard.AllFinite([finite, poisoned]));
        });
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 2 == 0), results);
    }

    /// <summary>Warms up once (lazily created state may stay), then expects no growth over five more calls.</summary>
    private static void AssertNoTensorsLeft(Action call)
    {
        call();
        var stats = DisposeScopeManager.Statistics;
        var before = stats.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++)
        {
            call();
        }
        Assert.Equal(before, stats.ThreadTotalLiveCount);
    }

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
