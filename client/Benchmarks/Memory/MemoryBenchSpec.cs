using System.Text.Json;
using System.Text.Json.Nodes;

namespace Accept.Client.Benchmarks.Memory;

/// <summary>
/// A run spec for the memory benchmark: <c>tasks</c> small generic classification tasks (JSONL written into a
/// work folder) over one backbone, in one codebook group, with steps enough that the benchmark, not the spec,
/// decides when to stop.
/// </summary>
internal static class MemoryBenchSpec
{
    private static readonly string[] Words = ["cat", "dog", "bird", "fish", "apple", "bread", "rice", "milk", "red", "blue", "green", "house"];

    public static string Write(string workDirectory, string backbone, int tasks)
    {
        var taskArray = new JsonArray();
        for (var t = 1; t <= tasks; t++)
        {
            taskArray.Add(Task(workDirectory, $"t{t}", t));
        }
        var spec = new JsonObject
        {
            ["backbone"] = Path.GetFullPath(backbone),
            ["tasks"] = taskArray,
            ["method"] = new JsonObject
            {
                ["prompt_length"] = 4,
                ["scpp"] = new JsonObject { ["sub_dim"] = 16, ["codebook_size"] = 4 },
                ["added"] = new JsonObject { ["kind"] = "scap", ["sub_dim"] = 16, ["codebook_size"] = 2 },
                ["max_length"] = 12,
            },
            ["optimization"] = new JsonObject
            {
                ["learning_rate"] = 0.3, ["added_learning_rate"] = 0.01, ["warmup_steps"] = 2, ["steps"] = 1000, ["batch_size"] = 4,
                ["grad_clip"] = 1.0, ["eval_every"] = 1000, ["seed"] = 7, ["eval_max_examples"] = 6,
            },
            ["aggregation"] = new JsonObject { ["mode"] = "sync", ["max_staleness"] = 4 },
            ["checkpoint_every"] = 0,
        };
        return spec.ToJsonString();
    }

    private static JsonObject Task(string workDirectory, string name, int seed)
    {
        var files = new JsonObject
        {
            ["name"] = name, ["source"] = "generic", ["input_field"] = "text", ["target_field"] = "label", ["metric"] = "accuracy", ["max_target_length"] = 4,
        };
        foreach (var (split, count) in new[] { ("train", 40), ("validation", 8), ("test", 8) })
        {
            var path = Path.Combine(workDirectory, $"{name}-{split}.jsonl");
            var random = new Random(seed * 31 + split.Length);
            File.WriteAllLines(path, Enumerable.Range(0, count).Select(_ =>
            {
                var words = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
                var label = Array.IndexOf(Words, words[0]) switch { < 4 => "animal", < 8 => "food", _ => "colour" };
                return JsonSerializer.Serialize(new { text = string.Join(' ', words), label });
            }));
            files[$"{split}_file"] = path;
        }
        return files;
    }
}
