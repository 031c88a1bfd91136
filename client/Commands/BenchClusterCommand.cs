using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Client.Cluster;
using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>
/// `accept bench cluster --spec FILE`: the same resolved spec trained `--in-process` and on the embedded
/// cluster, each as its own `accept train` process; prints one JSON object with each throughput (task steps
/// per second of training wall time, from summary.json) and the ratio cluster / in-process (target ≥ 0.95).
/// </summary>
internal static class BenchClusterCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo>("--spec") { Description = "JSON run spec (docs/run-spec.md)", Required = true };
        var silos = new Option<int>("--silos") { Description = "Worker silos of the embedded cluster", DefaultValueFactory = _ => 2 };
        var command = new Command("cluster", "Throughput of a spec on the embedded cluster vs in-process") { spec, silos };
        var overrides = RunSpecOptions.AddTo(command);
        command.SetAction((parse, cancel) => ClusterErrors.ReportAsync(async () =>
        {
            var file = parse.GetValue(spec)!;
            var resolved = RunSpecAbsolutePaths.WithAbsolutePaths(overrides.Apply(RunSpecReader.Read(file.FullName), parse));
            var work = Directory.CreateTempSubdirectory("accept-bench-cluster-");
            try
            {
                var specPath = Path.Combine(work.FullName, $"{Path.GetFileNameWithoutExtension(file.Name)}.json");
                await File.WriteAllTextAsync(specPath, RunSpecWriter.ToJson(resolved), cancel);
                var runs = Path.Combine(work.FullName, "runs");
                var inProcess = await TrainAsync(["train", "--spec", specPath, "--runs-dir", runs, "--in-process"], cancel);
                var cluster = await TrainAsync(["train", "--spec", specPath, "--runs-dir", runs, "--silos", parse.GetValue(silos).ToString()], cancel);
                var ratio = cluster.StepsPerSecond / inProcess.StepsPerSecond;
                Console.WriteLine(new JsonObject
                {
                    ["spec"] = file.FullName,
                    ["tasks"] = resolved.Tasks.Count,
                    ["steps"] = resolved.Optimization.Steps,
                    ["in_process"] = inProcess.ToJson(),
                    ["cluster"] = cluster.ToJson(),
                    ["ratio"] = Math.Round(ratio, 3),
                    ["target"] = "ratio ≥ 0.95",
                    ["target_met"] = ratio >= 0.95,
                    ["throughput"] = "task steps per second of training wall time (summary.json wall_time_s)",
                }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return 0;
            }
            finally
            {
                work.Delete(recursive: true);
            }
        }));
        return command;
    }

    private sealed record Measurement(double StepsPerSecond, double TokensPerSecond, double TrainingSeconds, double ProcessSeconds, long TaskSteps)
    {
        public JsonObject ToJson() => new()
        {
            ["task_steps_per_s"] = Math.Round(StepsPerSecond, 3),
            ["tokens_per_s"] = Math.Round(TokensPerSecond, 1),
            ["training_wall_s"] = Math.Round(TrainingSeconds, 2),
            ["process_wall_s"] = Math.Round(ProcessSeconds, 2),
            ["task_steps"] = TaskSteps,
        };
    }

    /// <summary>Runs this program with <paramref name="arguments"/> and reads the summary.json of the run directory it prints last.</summary>
    private static async Task<Measurement> TrainAsync(string[] arguments, CancellationToken cancel)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            info.ArgumentList.Add(typeof(BenchClusterCommand).Assembly.Location);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        var stdout = await process.StandardOutput.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        var seconds = clock.Elapsed.TotalSeconds;
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new ArgumentException($"accept {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {(await stderr).Trim()} {string.Join('\n', lines.TakeLast(5))}");
        }
        var summaryPath = Path.Combine(lines[^1], "summary.json");
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath, cancel));
        var root = summary.RootElement;
        var wall = root.GetProperty("wall_time_s").GetDouble();
        var steps = root.GetProperty("tasks").EnumerateObject().Sum(t => t.Value.GetProperty("steps").GetInt64());
        return new Measurement(steps / wall, root.GetProperty("tokens_per_s").GetDouble(), wall, seconds, steps);
    }
}
