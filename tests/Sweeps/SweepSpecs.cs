using System.Text.Json.Nodes;
using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

/// <summary>Small sweep specs over an inline two-task base run spec (generic tasks; no file is read to parse them).</summary>
internal static class SweepSpecs
{
    public const string Base = """
        {
          "tasks": [
            { "name": "a", "source": "generic", "file": "a.jsonl", "input_field": "x", "target_field": "y", "metric": "accuracy" },
            { "name": "b", "source": "generic", "file": "b.jsonl", "input_field": "x", "target_field": "y", "metric": "accuracy" }
          ],
          "optimization": { "steps": 100, "eval_every": 10 },
          "checkpoint_every": 10
        }
        """;

    /// <summary>A sweep spec text with the inline base and the given members (JSON object members, without braces).</summary>
    public static string Text(string members) => $"{{ \"base\": {Base}, {members} }}";

    public static SweepSpec Parse(string members) => SweepSpecReader.Parse(Text(members), "sweep.json");

    public static SweepSpec Asha(int trials, int grace, int eta, int maxSteps, bool deterministic = false) => Parse($$"""
        "parameters": { "optimization.learning_rate": { "log_uniform": [0.01, 1.0] } },
        "search": { "kind": "random", "trials": {{trials}}, "seed": 3 },
        "scheduler": { "kind": "asha", "grace_steps": {{grace}}, "reduction_factor": {{eta}}, "max_steps": {{maxSteps}}, "deterministic": {{(deterministic ? "true" : "false")}} },
        """);

    public static JsonObject RunSpecOf(string json) => JsonNode.Parse(json)!.AsObject();
}
