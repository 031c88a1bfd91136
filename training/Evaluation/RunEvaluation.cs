using Accept.Training.Checkpointing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.Data;
using Accept.Training.IO;
using Accept.Training.Prediction;

namespace Accept.Training.Evaluation;

/// <summary>A run's tasks scored on one split, the benchmark averages, and the tasks that had no examples of the split.</summary>
public sealed record RunEvaluation(TaskSplit Split, CheckpointChoice Which, IReadOnlyList<TaskEvaluation> Tasks,
    IReadOnlyDictionary<string, double> Benchmarks, IReadOnlyList<string> Skipped)
{
    public const string FileName = "eval.json";

    /// <summary>
    /// <c>{"split", "which", "tasks": {"TASK": {"METRIC": value, …, "examples": n}}, "benchmarks": {"glue": avg, …},
    /// "checkpoints": {"TASK": {"which", "step"}}, "skipped": [...]}</c>.
    /// </summary>
    public JsonObject ToJson()
    {
        var tasks = new JsonObject();
        var checkpoints = new JsonObject();
        foreach (var t in Tasks)
        {
            tasks[t.Task] = new JsonObject(t.Entry().Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value))));
            checkpoints[t.Task] = new JsonObject { ["which"] = t.Which.Name(), ["step"] = t.Step };
        }
        return new JsonObject
        {
            ["split"] = TaskEvaluator.Describe(Split),
            ["which"] = Which.Name(),
            ["tasks"] = tasks,
            ["benchmarks"] = new JsonObject(Benchmarks.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)JsonValue.Create(b.Value)))),
            ["checkpoints"] = checkpoints,
            ["skipped"] = new JsonArray([.. Skipped.Select(s => (JsonNode?)JsonValue.Create(s))]),
        };
    }

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Writes <c>eval.json</c> into the run directory, atomically.</summary>
    public string WriteTo(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        AtomicFile.WriteAllText(path, ToJsonText());
        return path;
    }
}
