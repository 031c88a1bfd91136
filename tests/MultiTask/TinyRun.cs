using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.Config;
using Accept.Training.MultiTask;

namespace Accept.Tests.MultiTask;

/// <summary>
/// A tiny real run: the t5-tiny-v1 fixture (d 64, vocab 512) with the fixture tokenizer as its backbone
/// directory, and two generic JSONL tasks written from word lists (a sentiment-like classification and
/// a copy task), in a temporary folder deleted on dispose.
/// </summary>
internal sealed class TinyRun : TinyRunFolder
{
    private static readonly string[] Good = ["love", "great", "good", "fine", "nice", "happy"];
    private static readonly string[] Bad = ["hate", "awful", "bad", "poor", "sad", "boring"];
    private static readonly string[] Things = ["film", "book", "song", "meal", "game", "trip", "show"];

    public TinyRun() : base("accept-run-")
    {
        var mood = new List<string>();
        var copy = new List<string>();
        int i = 0;
        foreach (var thing in Things)
        foreach (var (word, label) in Good.Select(w => (w, "positive")).Concat(Bad.Select(w => (w, "negative"))))
        {
            mood.Add(JsonSerializer.Serialize(new { text = $"the {thing} was {word}", label }));
            copy.Add(JsonSerializer.Serialize(new { text = $"say {Things[i % Things.Length]}", label = Things[i % Things.Length] }));
            i++;
        }
        MoodFile = Path.Combine(Root, "mood.jsonl");
        CopyFile = Path.Combine(Root, "copy.jsonl");
        File.WriteAllLines(MoodFile, mood);
        File.WriteAllLines(CopyFile, copy);
    }

    public string MoodFile { get; }
    public string CopyFile { get; }

    /// <summary>The spec JSON; <paramref name="optimization"/> and <paramref name="extra"/> are spliced in as JSON members.</summary>
    public string SpecJson(string optimization = "", string extra = "", string added = "\"kind\": \"dept\", \"rank\": 2") => $$"""
        {
          "backbone": {{JsonSerializer.Serialize(Backbone)}},
          "tasks": [
            { "name": "mood", "source": "generic", "file": {{JsonSerializer.Serialize(MoodFile)}}, "input_field": "text", "target_field": "label",
              "metric": "accuracy", "labels": ["negative", "positive"], "max_target_length": 4 },
            { "name": "copy", "source": "generic", "file": {{JsonSerializer.Serialize(CopyFile)}}, "input_field": "text", "target_field": "label",
              "metric": "exact_match", "max_target_length": 4 }
          ],
          "method": { "prompt_length": 4, "scpp": { "sub_dim": 16, "codebook_size": 4 }, "added": { {{added}} }, "max_length": 12 },
          "optimization": {{Optimization(optimization)}},
          {{(extra.Contains("\"checkpoint_every\"") ? "" : "\"checkpoint_every\": 0")}}
          {{(extra.Length > 0 ? (extra.Contains("\"checkpoint_every\"") ? "" : ", ") + extra : "")}}
        }
        """;

    /// <summary>The tiny run's optimization object with the given members replacing (not duplicating: specs refuse duplicate keys) its own.</summary>
    private static string Optimization(string overrides)
    {
        var o = JsonNode.Parse("""
            { "learning_rate": 0.3, "added_learning_rate": 0.01, "warmup_steps": 0, "steps": 6, "batch_size": 4, "eval_every": 3, "eval_max_examples": 6, "seed": 7 }
            """)!.AsObject();
        if (overrides.Length > 0)
            foreach (var (key, value) in JsonNode.Parse($"{{ {overrides} }}")!.AsObject().ToList())
                o[key] = value?.DeepClone();
        return o.ToJsonString();
    }

    public RunSpec Spec(string optimization = "", string extra = "", string added = "\"kind\": \"dept\", \"rank\": 2") =>
        RunSpecReader.Parse(SpecJson(optimization, extra, added), "tiny.json");

    public RunContext Context(string optimization = "", string extra = "", string added = "\"kind\": \"dept\", \"rank\": 2") =>
        RunContext.Load(Spec(optimization, extra, added), Path.Combine(Root, "npm"));

}
