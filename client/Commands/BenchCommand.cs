using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Accept.Training.Devices;
using Accept.Training.MultiTask;
using Accept.Training.T5;
using Spectre.Console;
using static TorchSharp.torch;

namespace Accept.Client.Commands;

/// <summary>`accept bench step`: the frozen-backbone step micro-benchmark at the t5-small shape; prints one JSON object.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "measured steps (after one warm-up step)", DefaultValueFactory = _ => 5 };
        var accept = new Option<bool>("--accept")
        {
            Description = "the real ACCEPT step (TaskStepper: SCPP t 32 r 20, DePT R 30, l 128, m 60, task and codebook AdamW updates) instead of a bare prompt",
        };
        var device = new Option<string>("--device") { Description = $"{DeviceSelection.Names}", DefaultValueFactory = _ => "cpu" };
        var breakdown = new Option<bool>("--breakdown")
        {
            Description = "also report where the time of a step goes (attention, layer norms, FFN, LM head and loss, prompt composition, backward, optimizer)",
        };
        var step = new Command("step", "One forward+backward of a frozen t5-small-shaped T5 with 60 trainable prepended embeddings") { threads, steps, accept, device, breakdown };
        step.SetAction(parse =>
        {
            var threadCount = parse.GetValue(threads);
            var stepCount = parse.GetValue(steps);
            if (threadCount < 1 || stepCount < 1)
            {
                Console.Error.WriteLine("--threads and --steps must be at least 1");
                return 2;
            }
            TorchThreads.PreferPassiveWaiting();
            Device on;
            try
            {
                on = DeviceSelection.Resolve(parse.GetValue(device)!, "--device");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            var withBreakdown = parse.GetValue(breakdown);
            if (parse.GetValue(accept)) return AcceptStep(threadCount, stepCount, on, withBreakdown);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T5StepBenchmarkResult? result = null;
            console.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("bench step (warm-up + measured)", maxValue: stepCount + 1);
                result = T5StepBenchmark.Run(T5Config.Small, threadCount, stepCount, progress: _ => task.Increment(1), device: on, breakdown: withBreakdown);
            });
            var r = result!;
            var json = Timing(null, r.MedianSecondsPerStep, r.MinSecondsPerStep, r.CpuSecondsPerStep, r.TokensPerSecond, r.SgemmGflops, r.StepGflops, r.Threads, on, r.Steps);
            json["shape"] = new
            {
                batch = r.Batch, source_tokens = r.SourceTokens, prompt_tokens = r.PromptTokens, target_tokens = r.TargetTokens,
                vocab = r.Config.VocabSize, d_model = r.Config.DModel, heads = r.Config.NumHeads, d_kv = r.Config.DKv,
                d_ff = r.Config.DFf, encoder_layers = r.Config.NumLayers, decoder_layers = r.Config.NumDecoderLayers,
            };
            Print(json, r.Breakdown);
            return 0;
        });
        return new Command("bench", "Micro-benchmarks (print JSON)")
        {
            step, BenchPushesCommand.Create(), BenchScaleCommand.Create(), BenchClusterCommand.Create(), BenchMemoryCommand.Create(), BenchChaosCommand.Create(),
            BenchSweepCommand.Create(),
        };
    }

    private static int AcceptStep(int threadCount, int stepCount, Device device, bool breakdown)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        AcceptStepBenchmarkResult? result = null;
        console.Progress().Start(ctx =>
        {
            var task = ctx.AddTask("bench step --accept (warm-up + measured)", maxValue: stepCount + 1);
            var config = T5Config.Small;
            result = AcceptStepBenchmark.Run(config, AcceptStepBenchmark.PaperLayout(config.DModel), threadCount, stepCount, progress: _ => task.Increment(1), device: device, breakdown: breakdown);
        });
        var r = result!;
        var json = Timing("accept", r.MedianSecondsPerStep, r.MinSecondsPerStep, r.CpuSecondsPerStep, r.TokensPerSecond, r.SgemmGflops, r.StepGflops, r.Threads, device, r.Steps);
        json["shape"] = new
        {
            batch = r.Batch, source_tokens = r.Layout.MaxLength, prompt_tokens = r.Layout.PromptLength, target_tokens = r.TargetTokens,
            scpp_sub_dim = r.Layout.ScppSubDim, scpp_codebook_size = r.Layout.ScppCodebookSize, added = "dept", dept_rank = r.Layout.AddedRank,
            trainable_parameters = r.Layout.Budget().Total,
            vocab = r.Config.VocabSize, d_model = r.Config.DModel, encoder_layers = r.Config.NumLayers, decoder_layers = r.Config.NumDecoderLayers,
        };
        Print(json, r.Breakdown);
        return 0;
    }

    /// <summary>The figures both step benchmarks print, in this order (then the shape, what a token is, and the breakdown).</summary>
    private static Dictionary<string, object?> Timing(string? path, double median, double min, double cpu, double tokensPerSecond, double sgemm, double stepGflops,
        int threads, Device device, int steps) => new()
    {
        ["path"] = path,
        ["median_s_per_step"] = Math.Round(median, 4),
        ["min_s_per_step"] = Math.Round(min, 4),
        ["cpu_s_per_step"] = Math.Round(cpu, 4),
        ["tokens_per_s"] = Math.Round(tokensPerSecond, 1),
        ["sgemm_gflops"] = Math.Round(sgemm, 1),
        ["step_gflops_per_s"] = Math.Round(stepGflops, 1),
        ["utilisation_of_sgemm"] = Math.Round(stepGflops / sgemm, 3),
        ["utilisation_of_sgemm_at_min"] = Math.Round(stepGflops * median / min / sgemm, 3),
        ["threads"] = threads,
        ["device"] = device.ToString(),
        ["steps"] = steps,
    };

    private static void Print(Dictionary<string, object?> json, StepTimes? breakdown)
    {
        json["tokens_counted"] = "batch x (source + target) per step; prompt positions excluded";
        json["breakdown"] = Breakdown(breakdown);
        Console.WriteLine(JsonSerializer.Serialize(json.Where(kv => kv.Value is not null).ToDictionary(), Json));
    }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    // Where the time of a step goes: seconds per step and share of the mean step, largest first.
    private static object? Breakdown(StepTimes? times)
    {
        if (times is null) return null;
        var sections = times.SecondsPerStepBySection.OrderByDescending(s => s.Value).ToList();
        return new
        {
            method = StepTimes.Method,
            mean_s_per_step = Math.Round(times.MeanSeconds, 4),
            s_per_step = sections.ToDictionary(s => s.Key, s => Math.Round(s.Value, 4)),
            share = sections.ToDictionary(s => s.Key, s => Math.Round(s.Value / times.MeanSeconds, 3)),
            minor_page_faults_per_step = Math.Round(times.MinorPageFaultsPerStep),
        };
    }
}
