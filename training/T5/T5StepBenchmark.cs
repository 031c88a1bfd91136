using System.Diagnostics;
using Accept.Training.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>Measured result of <see cref="T5StepBenchmark"/>.</summary>
/// <param name="Breakdown">Seconds per step by section (see <see cref="StepBreakdown"/>), when asked for.</param>
public sealed record T5StepBenchmarkResult(
    double MedianSecondsPerStep, double MinSecondsPerStep, double CpuSecondsPerStep, double TokensPerSecond, double SgemmGflops, double StepGflops, int Threads, int Steps,
    int Batch, int SourceTokens, int PromptTokens, int TargetTokens, T5Config Config, StepTimes? Breakdown = null);

/// <summary>
/// One frozen-backbone forward+backward as prompt tuning does it: trainable prompt embeddings are
/// prepended to the token embeddings, and only they receive gradients.
/// </summary>
public static class T5StepBenchmark
{
    /// <param name="device">Where everything runs (null: the CPU); the sgemm figure is measured there too.</param>
    /// <param name="breakdown">Also time the sections of each measured step (<see cref="StepBreakdown"/>).</param>
    public static T5StepBenchmarkResult Run(T5Config config, int threads, int steps, int batch = 8, int sourceTokens = 128,
        int promptTokens = 60, int targetTokens = 8, Action<int>? progress = null, Device? device = null, bool breakdown = false)
    {
        device ??= torch.CPU;
        TorchThreads.Set(threads);
        var sgemm = MeasureSgemm(device: device);
        using var model = T5Model.CreateRandom(config, seed: 0);
        model.to(device);
        // Drawn on the CPU (the generator's device), then moved, so every device benchmarks the same inputs.
        using var generator = new Generator(1);
        using var half = 0.5.ToScalar();
        using var prompt = Drawn(torch.randn(promptTokens, config.DModel, generator: generator).mul_(half), device).requires_grad_(true);
        using var ids = Drawn(torch.randint(2, config.VocabSize, [batch, sourceTokens], generator: generator), device);
        using var labels = Drawn(torch.randint(2, config.VocabSize, [batch, targetTokens], generator: generator), device);
        using var decoderIds = T5Model.ShiftRight(labels, config.DecoderStartTokenId, config.PadTokenId);
        using var mask = torch.ones(batch, promptTokens + sourceTokens, ScalarType.Int64, device);

        var times = new StepTimes(device, breakdown);
        for (var step = 0; step <= steps; step++)
        {
            // The first step warms caches and allocators; it is not counted.
            using (times.Measure(counted: step > 0))
            using (var scope = torch.NewDisposeScope())
            {
                Tensor embeds;
                using (StepBreakdown.Time(StepBreakdown.PromptComposition))
                    embeds = torch.cat([prompt.unsqueeze(0).expand(batch, -1, -1), model.EmbedTokens(ids)], 1);
                var loss = T5Model.Loss(model.forward(embeds, mask, decoderIds), labels);
                using (StepBreakdown.Time(StepBreakdown.Backward))
                    loss.backward();
                prompt.grad!.zero_();
            }
            progress?.Invoke(step);
        }
        var median = times.MedianSeconds;
        var tokens = batch * (sourceTokens + targetTokens);
        return new T5StepBenchmarkResult(median, times.MinSeconds, times.CpuSecondsPerStep, tokens / median, sgemm,
            StepFlops(config, batch, sourceTokens + promptTokens, targetTokens) / median / 1e9,
            threads, steps, batch, sourceTokens, promptTokens, targetTokens, config, breakdown ? times : null);
    }

    /// <summary>GFLOP/s of libtorch on a 1024³ float32 matrix product: the best of several, as the machine's capacity.</summary>
    public static double MeasureSgemm(int size = 1024, int repeats = 10, Device? device = null)
    {
        device ??= torch.CPU;
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(size, size, device: device);
        var b = torch.randn(size, size, device: device);
        a.matmul(b).Dispose();
        DeviceSelection.Synchronize(device);
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            DeviceSelection.Synchronize(device);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }

    // A CPU draw moved to the device: the CPU copy is not kept.
    private static Tensor Drawn(Tensor cpu, Device device)
    {
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu) return cpu.to(device);
    }

    // Matrix-product FLOPs: 2 per multiply-add, forward once and backward about once more (the weights are
    // frozen, so only input gradients are taken). About 150 GFLOP at the t5-small benchmark shape.
    public static double StepFlops(T5Config c, int batch, int source, int target)
    {
        double inner = c.NumHeads * c.DKv;
        double ffn = c.DFf * (c.IsGated ? 3.0 : 2.0);
        double s = source, t = target;
        var encoderLayer = s * (4 * c.DModel * inner + c.DModel * ffn) + 2 * s * s * inner;
        var decoderLayer = t * (6 * c.DModel * inner + c.DModel * ffn) + 2 * t * t * inner
            + 2 * s * c.DModel * inner + 2 * t * s * inner;
        var head = t * c.DModel * c.VocabSize;
        var macs = batch * (encoderLayer * c.NumLayers + decoderLayer * c.NumDecoderLayers + head);
        return 2 * 2 * macs;
    }
}
