using System.Text.Json.Nodes;
using Accept.Training.Config;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>The benchmark as a whole: the spec, the optional uninterrupted baseline, then every run of every fault.</summary>
public static class ChaosBenchmark
{
    public static async Task RunAsync(ChaosOptions options, Action<JsonObject> report, Action<string> progress, CancellationToken cancel)
    {
        var spec = options.Spec ?? ChaosSpec.Write(options.WorkDirectory, progress);
        long steps = RunSpecReader.Read(spec).Optimization.Steps;
        var runner = new ChaosRun(options, spec, steps, progress);
        IReadOnlyDictionary<string, double>? baseline = null;
        if (options.Baseline)
        {
            progress("uninterrupted baseline run");
            var (figures, results) = await runner.RunAsync(0, null, null, cancel);
            if (!figures.Finished || results is null)
            {
                throw new InvalidOperationException($"the uninterrupted run did not finish: {figures.Failure}");
            }
            baseline = results.Tasks.Where(t => t.Summary?.FinalLoss is not null).ToDictionary(t => t.TaskName, t => t.Summary!.FinalLoss!.Value);
        }
        foreach (var fault in options.Faults)
        {
            var runs = new List<RunFigures>();
            for (var i = 1; i <= options.Runs; i++)
            {
                progress($"{fault.Name()}: run {i} of {options.Runs}");
                var (figures, _) = await runner.RunAsync(i, fault, baseline, cancel);
                progress($"{fault.Name()}: run {i}: {(figures.Finished ? "finished" : $"NOT finished ({figures.Failure})")}, re-done {figures.StepsRedone}, " +
                         $"double-applied {figures.DoubleApplied}, monotonic {figures.Monotonic}, corrupt {figures.CorruptCheckpoints}, recovery {figures.RecoverySeconds:F1} s");
                runs.Add(figures);
            }
            report(ChaosReport.Build(fault, runs, steps, options.Baseline));
        }
    }
}
