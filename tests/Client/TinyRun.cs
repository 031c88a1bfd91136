using System.Text.Json;

namespace Accept.Tests.Client;

/// <summary>
/// A temporary folder with everything a small training run needs: a tiny backbone (the golden T5 v1.0
/// fixture's weights with the fixture SentencePiece model, vocab 512 both), two generic tasks from JSONL
/// files, and a spec that trains them in one shared codebook group.
/// </summary>
internal sealed class TinyRun : TinyRunFolder
{
    public TinyRun(int steps, int evalEvery, string aggregation = "sync") : base("accept-client-run-")
    {
        WriteTask("sentiment.jsonl", i => (i % 3 == 0 ? $"a poor dull licence number {i}" : $"a good fine licence number {i}", i % 3 == 0 ? "negative" : "positive"));
        WriteTask("parity.jsonl", i => ($"the number {i} is here", i % 2 == 0 ? "even" : "odd"));
        Spec = Path.Combine(Root, "tiny.json");
        File.WriteAllText(Spec, $$"""
            {
              "backbone": {{JsonSerializer.Serialize(Backbone)}},
              "tasks": [
                { "name": "sentiment", "source": "generic", "file": {{JsonSerializer.Serialize(Path.Combine(Root, "sentiment.jsonl"))}},
                  "input_field": "text", "target_field": "label", "metric": "accuracy", "labels": ["positive", "negative"] },
                { "name": "parity", "source": "generic", "file": {{JsonSerializer.Serialize(Path.Combine(Root, "parity.jsonl"))}},
                  "input_field": "text", "target_field": "label", "metric": "accuracy", "labels": ["even", "odd"] }
              ],
              "method": { "prompt_length": 4, "scpp": { "sub_dim": 16, "codebook_size": 2 }, "added": { "kind": "none" }, "max_length": 16 },
              "optimization": { "learning_rate": 0.3, "warmup_steps": 0, "steps": {{steps}}, "batch_size": 4, "eval_every": {{evalEvery}},
                                "eval_max_examples": 8, "seed": 7 },
              "aggregation": { "mode": "{{aggregation}}" },
              "checkpoint_every": 0
            }
            """);
        Runs = Path.Combine(Root, "runs");
    }

    public string Spec { get; }

    public string Runs { get; }

    public static readonly string[] TaskNames = ["parity", "sentiment"];

    private void WriteTask(string file, Func<int, (string Text, string Label)> row) =>
        File.WriteAllLines(Path.Combine(Root, file), Enumerable.Range(0, 60).Select(i =>
        {
            var (text, label) = row(i);
            return JsonSerializer.Serialize(new { text, label });
        }));
}
