using Accept.Training.Engine;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using Accept.Training.T5;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>
/// The real ACCEPT training step at a given shape: <see cref="TaskStepper.Step"/> (P from SCPP, ΔE from
/// DePT, forward and backward through the frozen backbone, the task's AdamW update) followed by the
/// codebook group's update with the step's gradient, as one task of a sync round does it.
/// </summary>
public static class AcceptStepBenchmark
{
    /// <summary>The paper's prompt shapes on t5-small (d 512): m 60, SCPP t 32 r 20, DePT R 30, l 128.</summary>
    public static PromptLayout PaperLayout(int dModel) => new PromptLayout { DModel = dModel, PromptLength = 60, MaxLength = 128, ScppSubDim = 32, ScppCodebookSize = 20, Added = AddedKind.Dept, AddedSubDim = 32, AddedCodebookSize = 4, AddedRank = 30, AddedAlpha = 8 }.Validated();

    /// <param name="device">Where everything runs (null: the CPU); the sgemm figure is measured there too.</param>
    /// <param name="breakdown">Also time the sections of each measured step (<see cref="StepBreakdown"/>).</param>
    public static AcceptStepBenchmarkResult Run(T5Config config, PromptLayout layout, int threads, int steps, int batch = 8, int targetTokens = 8,
        Action<int>? progress = null, Device? device = null, bool breakdown = false)
    {
        device ??= CPU;
        TorchThreads.Set(threads);
        var sgemm = T5StepBenchmark.MeasureSgemm(device: device);
        using var model = T5Model.CreateRandom(config, seed: 0);
        model.to(device);
        var schedule = new LinearSchedule(0.3, 0, steps + 1);
        using var group = new CodebookGroup("bench", layout, new CodebookGroupOptions(schedule, schedule with { BaseLearningRate = 1e-4 }), 1, device: device);
        using var adapter = new TaskAdapter("bench", layout, 1, device: device);
        using var generator = new Generator(1);
        // Drawn on the CPU (the generator's device), so every device benchmarks the same batch.
        using var cpuBatch = new TaskBatch(
            randint(2, config.VocabSize, [batch, layout.MaxLength], generator: generator),
            ones(batch, layout.MaxLength, ScalarType.Int64),
            randint(2, config.VocabSize, [batch, targetTokens], generator: generator),
            batch * (layout.MaxLength + targetTokens));
        using var batchData = cpuBatch.To(device);

        var times = new StepTimes(device, breakdown);
        for (var step = 0; step <= steps; step++)
        {
            // The first step warms caches and allocators; it is not counted.
            using (times.Measure(counted: step > 0))
            using (var outcome = TaskStepper.Step(model, adapter, group.Codebooks, batchData, 0.3f, 1e-4f))
            {
                using var section = StepBreakdown.Time(StepBreakdown.Optimizer);
                if (!outcome.Skipped) group.Apply(outcome.CodebookGradients);
            }
            progress?.Invoke(step);
        }
        var median = times.MedianSeconds;
        var flops = T5StepBenchmark.StepFlops(config, batch, layout.MaxLength + layout.PromptLength, targetTokens);
        return new AcceptStepBenchmarkResult(median, times.MinSeconds, times.CpuSecondsPerStep, batchData.Tokens / median, sgemm, flops / median / 1e9,
            threads, steps, batch, targetTokens, layout, config, breakdown ? times : null);
    }
}
