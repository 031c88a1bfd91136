using System.Text.Json;
using System.Text.Json.Nodes;

namespace Accept.Tests.Grains;

/// <summary>
/// A temporary run: the tiny T5 fixture with the fixture tokenizer as its backbone, and small generic
/// classification tasks written as JSONL, so grains train real steps in milliseconds.
/// </summary>
public sealed class TinyRun : TinyRunFolder
{
    private static readonly string[] Words = ["cat", "dog", "bird", "fish", "apple", "bread", "rice", "milk", "red", "blue", "green", "house"];

    public TinyRun() : base("accept-grains-")
    {
        Checkpoints = Path.Combine(Root, "checkpoints");
        Directory.CreateDirectory(Checkpoints);
    }

    public string Checkpoints { get; }

    /// <summary>A spec with tasks "parity" (even/odd word count) and "topic" (animal/food/colour), plus any extra task names, all in one group.</summary>
    /// <param name="only">Instead of "parity" and "topic": exactly these tasks (topic-labelled).</param>
    public string Spec(int steps = 20, string mode = "sync", int maxStaleness = 4, int checkpointEvery = 10, int evalEvery = 10, int scppSubDim = 16,
        string[]? extraTasks = null, string[]? only = null, string? backbone = null)
    {
        var tasks = only is null ? new JsonArray { Task("parity", ParityLabel), Task("topic", TopicLabel) } : [];
        foreach (var name in (only ?? []).Concat(extraTasks ?? []))
        {
            tasks.Add(Task(name, TopicLabel));
        }
        var spec = new JsonObject
        {
            ["backbone"] = backbone ?? Backbone,
            ["tasks"] = tasks,
            ["method"] = new JsonObject
            {
                ["prompt_length"] = 4,
                ["scpp"] = new JsonObject { ["sub_dim"] = scppSubDim, ["codebook_size"] = 4 },
                ["added"] = new JsonObject { ["kind"] = "scap", ["sub_dim"] = 16, ["codebook_size"] = 2 },
                ["max_length"] = 12,
            },
            ["optimization"] = new JsonObject
            {
                ["learning_rate"] = 0.3, ["added_learning_rate"] = 0.01, ["warmup_steps"] = 2, ["steps"] = steps, ["batch_size"] = 4,
                ["grad_clip"] = 1.0, ["eval_every"] = evalEvery, ["seed"] = 7, ["eval_max_examples"] = 6,
            },
            ["aggregation"] = new JsonObject { ["mode"] = mode, ["max_staleness"] = maxStaleness },
            ["checkpoint_every"] = checkpointEvery,
        };
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private JsonObject Task(string name, Func<string[], string> label)
    {
        var files = new JsonObject
        {
            ["name"] = name,
            ["source"] = "generic",
            ["input_field"] = "text",
            ["target_field"] = "label",
            ["metric"] = "accuracy",
            ["max_target_length"] = 4,
        };
        foreach (var (split, count, seed) in new[] { ("train", 40, 1), ("validation", 8, 2), ("test", 8, 3) })
        {
            var path = Path.Combine(Root, $"{name}-{split}.jsonl");
            var random = new Random(seed * 31 + name.Length);
            var lines = Enumerable.Range(0, count).Select(_ =>
            {
                var words = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
                return JsonSerializer.Serialize(new { text = string.Join(' ', words), label = label(words) });
            });
            File.WriteAllLines(path, lines);
            files[$"{split}_file"] = path;
        }
        return files;
    }

    private static string ParityLabel(string[] words) => words.Length % 2 == 0 ? "even" : "odd";

    private static string TopicLabel(string[] words) => Array.IndexOf(Words, words[0]) switch { < 4 => "animal", < 8 => "food", _ => "colour" };
}
