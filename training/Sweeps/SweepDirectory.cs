using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.IO;

namespace Accept.Training.Sweeps;

/// <summary>
/// The folder a sweep writes: <c>sweep.json</c> (the resolved spec), <c>state.json</c> (the whole
/// <see cref="SweepState"/>, rewritten atomically after every decision), <c>trials.jsonl</c> (one line per trial
/// event), <c>summary.json</c>, the plots, and <c>trials/&lt;trial&gt;/</c> (each trial's run directory).
/// </summary>
public sealed class SweepDirectory(string path)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string SpecPath => System.IO.Path.Combine(Path, "sweep.json");
    public string StatePath => System.IO.Path.Combine(Path, "state.json");
    public string EventsPath => System.IO.Path.Combine(Path, "trials.jsonl");
    public string SummaryPath => System.IO.Path.Combine(Path, "summary.json");
    public string ObjectivePlotPath => System.IO.Path.Combine(Path, "objective.png");
    public string ParameterPlotPath(string parameter) => System.IO.Path.Combine(Path, $"parameter-{parameter}.png");

    public string TrialDirectory(TrialRecord trial) => System.IO.Path.Combine(Path, "trials", trial.Name);

    public SweepState? ReadState() => File.Exists(StatePath) ? SweepStateJson.FromJson(File.ReadAllText(StatePath), StatePath) : null;

    /// <summary>state.json, and trials.jsonl rewritten from the decision log (so it never repeats a line after a restart).</summary>
    public void WriteState(SweepState state)
    {
        Directory.CreateDirectory(Path);
        if (!File.Exists(SpecPath)) AtomicFile.WriteAllText(SpecPath, state.SpecJson);
        AtomicFile.WriteAllText(StatePath, SweepStateJson.ToJson(state));
        var lines = state.Decisions.Select((d, i) => JsonSerializer.Serialize(new
        {
            seq = i,
            trial = TrialRecord.NameOf(d.Trial),
            @event = d.Kind.ToString().ToLowerInvariant(),
            step = d.Step,
            detail = d.Detail,
        }));
        AtomicFile.WriteAllText(EventsPath, string.Concat(lines.Select(l => l + "\n")));
    }

    /// <summary>summary.json: best trial, objective, mode, and every trial's id, values, state, steps, objective, run directory.</summary>
    public void WriteSummary(SweepState state, SweepSpec spec)
    {
        var best = SweepEngine.Best(state, spec.Objective);
        var trials = new JsonArray();
        foreach (var t in state.Trials)
        {
            var values = new JsonObject();
            foreach (var (p, raw) in t.Params) values[p] = JsonNode.Parse(raw);
            trials.Add(new JsonObject
            {
                ["id"] = t.Name,
                ["params"] = values,
                ["state"] = t.State.ToString().ToLowerInvariant(),
                ["steps"] = t.Step,
                ["objective"] = t.Objective is { } v && double.IsFinite(v) ? v : null,
                ["run_dir"] = TrialDirectory(t),
                ["reason"] = t.Reason,
            });
        }
        var summary = new JsonObject
        {
            ["sweep"] = state.SweepId,
            ["phase"] = state.Phase.ToString().ToLowerInvariant(),
            ["best_trial"] = best?.Name,
            ["objective"] = spec.Objective.Name,
            ["mode"] = spec.Objective.Mode.ToString().ToLowerInvariant(),
            ["best_objective"] = best?.Objective,
            ["trials"] = trials,
            ["lineage"] = JsonSerializer.SerializeToNode(state.Lineage.Select(l => new { trial = TrialRecord.NameOf(l.Trial), step = l.Step, donor = TrialRecord.NameOf(l.Donor), from = l.From, to = l.To })),
        };
        AtomicFile.WriteAllText(SummaryPath, summary.ToJsonString(Indented));
    }
}
