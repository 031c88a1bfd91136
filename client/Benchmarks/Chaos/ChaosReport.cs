using System.Text.Json.Nodes;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>The JSON object `accept bench chaos` prints for one fault: the figures of its runs (docs/reliability.md).</summary>
internal static class ChaosReport
{
    /// <summary>Final losses closer than this to the uninterrupted run's count as the same final state.</summary>
    public const double SameLoss = 1e-4;

    public static JsonObject Build(ChaosFault fault, IReadOnlyList<RunFigures> runs, long steps, bool baseline)
    {
        var recoveries = runs.Where(r => r.RecoverySeconds is not null).Select(r => r.RecoverySeconds!.Value).Order().ToList();
        var redone = runs.Select(r => (double)r.StepsRedone).Order().ToList();
        var compared = runs.Where(r => r.FinalLossDifference is not null).ToList();
        var runArray = new JsonArray();
        foreach (var r in runs)
        {
            runArray.Add(new JsonObject
            {
                ["run"] = r.Run, ["finished"] = r.Finished, ["fault_step"] = r.FaultStep, ["steps_redone"] = r.StepsRedone,
                ["double_applied"] = r.DoubleApplied, ["monotonic"] = r.Monotonic, ["corrupt_checkpoints"] = r.CorruptCheckpoints,
                ["recovery_s"] = Round(r.RecoverySeconds), ["final_loss_difference"] = r.FinalLossDifference, ["pushes"] = r.Pushes,
                ["declared_dead_s"] = Round(r.DeclaredDeadSeconds), ["applied_after_declared_dead"] = r.AppliedAfterDeclaredDead,
                ["failure"] = r.Failure,
            });
        }
        return new JsonObject
        {
            ["fault"] = fault.Name(),
            ["runs"] = runs.Count,
            ["finished"] = runs.Count(r => r.Finished),
            ["steps"] = steps,
            ["steps_redone_max"] = runs.Count == 0 ? null : runs.Max(r => r.StepsRedone),
            ["steps_redone_p50"] = Percentile(redone, 0.5),
            ["double_applied"] = runs.Sum(r => r.DoubleApplied),
            ["codebook_versions_monotonic"] = runs.All(r => r.Monotonic) ? "yes" : "no",
            ["corrupt_checkpoints"] = runs.Sum(r => r.CorruptCheckpoints),
            ["recovery_s_p50"] = Round(Percentile(recoveries, 0.5)),
            ["recovery_s_p99"] = Round(Percentile(recoveries, 0.99)),
            ["never_recovered"] = runs.Count(r => r.RecoverySeconds is null),
            ["same_final_state_as_uninterrupted"] = baseline ? $"{compared.Count(r => r.FinalLossDifference <= SameLoss)}/{runs.Count}" : null,
            ["final_loss_difference_max"] = compared.Count == 0 ? null : compared.Max(r => r.FinalLossDifference),
            // worker-stop: runs where another silo declared the stopped one dead, and pushes it sent that were accepted after that (target 0).
            ["stopped_silo_declared_dead"] = fault == ChaosFault.WorkerStop ? runs.Count(r => r.DeclaredDeadSeconds is not null) : null,
            ["applied_after_declared_dead"] = fault == ChaosFault.WorkerStop ? runs.Sum(r => r.AppliedAfterDeclaredDead ?? 0) : null,
            ["per_run"] = runArray,
        };
    }

    /// <summary>The nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
