using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Client.Benchmarks;
using Accept.Client.Cluster;
using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.Training.T5;

using Accept.Client.Options;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench pushes`: codebook-grain pushes/s and p50/p99 latency for T5-base-sized codebooks (d 768,
/// paper defaults m 60, t 32, r 20 → SCPP codebook (24, 20, 32)) in async mode, for several pusher counts;
/// prints one JSON object.
/// </summary>
internal static class BenchPushesCommand
{
    public static Command Create()
    {
        var pushers = CountListOption.Create("--pushers", "Concurrent pusher counts", 1, 1000, 8, 32, 128);
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per pusher count (after --warmup)", DefaultValueFactory = _ => 5 };
        var warmup = new Option<double>("--warmup") { Description = "Unmeasured seconds of pushing first", DefaultValueFactory = _ => 1 };
        var command = new Command("pushes", "Codebook-grain push throughput and latency with T5-base-sized codebooks (async mode)") { pushers, seconds, warmup };
        var overrides = RunSpecOptions.AddTo(command);
        var cluster = ClusterFlags.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var counts = parse.GetValue(pushers)!;
            var measured = TimeSpan.FromSeconds(Positive(parse.GetValue(seconds), "--seconds"));
            var warm = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup)));
            var work = Directory.CreateTempSubdirectory("accept-bench-pushes-");
            try
            {
                var run = await CodebookBenchRun.WriteAsync(work.FullName, cancel);

                await using var session = cluster.Resolve(parse) is { } target
                    ? (IClusterSession)await ClusterConnection.ConnectAsync(target, cancel)
                    : await EmbeddedCluster.StartAsync(new EmbeddedClusterOptions(Path.Combine(work.FullName, "checkpoints")), cancel);
                Console.Error.WriteLine($"pushing to {session.Description}");
                var results = new List<PushBenchmarkResult>();
                foreach (var count in counts)
                {
                    var spec = overrides.Apply(RunSpecReader.Parse(SpecJson(run, count), "bench spec"), parse);
                    var job = $"bench-pushes-{Guid.NewGuid().ToString("N")[..8]}";
                    var groupSpec = new CodebookGroupSpec(job, RunSpec.DefaultGroup, RunSpecWriter.ToJson(spec), RoundTimeout: TimeSpan.FromSeconds(30));
                    Console.Error.WriteLine($"{count} pushers: {warm.TotalSeconds:F0} s warm-up, {measured.TotalSeconds:F0} s measured");
                    results.Add(await PushBenchmark.RunAsync(session.Client, groupSpec, count, measured, warm));
                }
                Console.WriteLine(ToJson(results).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return 0;
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }));
        return command;
    }

    /// <summary>One member task per pusher, all in the default group, async aggregation; method and optimisation at the paper's defaults.</summary>
    private static string SpecJson(CodebookBenchRun run, int tasks) => new JsonObject
    {
        ["backbone"] = run.Backbone,
        ["tasks"] = new JsonArray(Enumerable.Range(0, tasks).Select(i => run.Task($"pusher-{i:D3}")).ToArray()),
        ["aggregation"] = new JsonObject { ["mode"] = "async", ["max_staleness"] = int.MaxValue },
        ["checkpoint_every"] = 0,
    }.ToJsonString();

    private static JsonObject ToJson(IReadOnlyList<PushBenchmarkResult> results)
    {
        var first = results[0];
        var target32 = results.FirstOrDefault(r => r.Pushers == 32);
        return new JsonObject
        {
            ["codebook_shapes"] = new JsonObject(first.CodebookShapes.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)new JsonArray(s.Value.Select(d => (JsonNode)d).ToArray())))),
            ["payload_bytes"] = first.PayloadBytes,
            ["mode"] = "async",
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["pushers"] = r.Pushers,
                ["pushes_per_s"] = Math.Round(r.PushesPerSecond, 1),
                ["p50_ms"] = Math.Round(r.P50Milliseconds, 3),
                ["p99_ms"] = Math.Round(r.P99Milliseconds, 3),
                ["accepted"] = r.AcceptedPushes,
                ["versions_applied"] = r.VersionsApplied,
                ["rejected"] = r.RejectedPushes,
                ["first_rejection"] = r.FirstRejection,
            }).ToArray()),
            ["target"] = "≥ 2000 pushes/s and p99 < 20 ms at 32 pushers",
            ["target_met"] = target32 is null ? null : target32.PushesPerSecond >= 2000 && target32.P99Milliseconds < 20,
        };
    }

    private static double Positive(double value, string flag) => value > 0 ? value : throw new ArgumentException($"{flag} {value}: expected a positive number of seconds.");
}
