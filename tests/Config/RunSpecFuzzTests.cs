using System.Text.Json.Nodes;
using Accept.Training.Config;
using Accept.Training.T5;
using CsCheck;
using Xunit.Abstractions;

namespace Accept.Tests.Config;

/// <summary>
/// Generated malformed run specs (CsCheck): a valid spec with one key set to a value of any type or size,
/// removed, duplicated or invented, or its text cut or corrupted at any point. Each is either read, or
/// refused with one <see cref="SpecException"/> line naming the source; nothing else is thrown. What is read
/// must also survive the size checks (memory estimate, parameter count) without an exception other than
/// <see cref="SpecException"/>.
/// </summary>
[Trait("Category", "Fast")]
public sealed class RunSpecFuzzTests(ITestOutputHelper output)
{
    private const string Valid = """
    {
      "tasks": [
        { "name": "a", "source": "generic", "file": "a.jsonl", "input_field": "text", "target_field": "label",
          "metric": "accuracy", "labels": ["x", "y"], "max_target_length": 4 },
        { "name": "b", "source": "generic", "train_file": "b.csv", "validation_file": "v.csv", "input_field": "q", "target_field": "r",
          "metric": "exact_match", "codebook_group": "g" }
      ],
      "method": { "prompt_length": 4, "scpp": { "sub_dim": 16, "codebook_size": 4 }, "added": { "kind": "dept", "rank": 2, "alpha": 8 }, "max_length": 12 },
      "optimization": { "learning_rate": 0.3, "added_learning_rate": 0.01, "warmup_steps": 0, "steps": 6, "batch_size": 4,
                        "eval_every": 3, "seed": 7, "max_consecutive_skips": 5 },
      "aggregation": { "mode": "sync", "max_staleness": 2 },
      "checkpoint_every": 0
    }
    """;

    private static readonly string[][] Paths =
    [
        ["tasks"], ["tasks", "0"], ["tasks", "0", "name"], ["tasks", "0", "source"], ["tasks", "0", "labels"], ["tasks", "0", "max_target_length"],
        ["tasks", "0", "max_length"], ["tasks", "1", "codebook_group"], ["tasks", "1", "file"], ["tasks", "0", "metric"], ["tasks", "1", "test_file"],
        ["method"], ["method", "prompt_length"], ["method", "max_length"], ["method", "scpp"], ["method", "scpp", "sub_dim"], ["method", "scpp", "codebook_size"],
        ["method", "added", "kind"], ["method", "added", "rank"], ["method", "added", "alpha"], ["method", "prompt_tuning_baseline"],
        ["optimization", "learning_rate"], ["optimization", "batch_size"], ["optimization", "steps"], ["optimization", "seed"],
        ["optimization", "max_consecutive_skips"], ["optimization", "eval_max_examples"], ["aggregation", "mode"], ["aggregation", "max_staleness"],
        ["checkpoint_every"], ["codebook_groups"], ["codebook_groups", "g"], ["transfer"], ["transfer", "source"], ["backbone"], ["unknown_key"],
    ];

    private static readonly Gen<JsonNode?> Values = Gen.OneOf(
        Gen.Int.Select(i => (JsonNode?)i),
        Gen.Long.Select(l => (JsonNode?)l),
        Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)d),
        Gen.OneOf(0, -1, 1, int.MaxValue, 100_000, 2_000_000_000).Select(i => (JsonNode?)i),
        Gen.OneOf(1e308, -1e308, 1e-320, 0.5).Select(d => (JsonNode?)d),
        Gen.String.Select(s => (JsonNode?)s),
        Gen.OneOf("", " ", "../..", "dept", "scap", "none", "sync", "async", "accuracy", "a", "b", "x").Select(s => (JsonNode?)s),
        Gen.Bool.Select(b => (JsonNode?)b),
        Gen.Const(0).Select(_ => (JsonNode?)null),
        Gen.Const(0).Select(_ => (JsonNode?)new JsonObject()),
        Gen.String.Array[0, 4].Select(a => (JsonNode?)new JsonArray([.. a.Select(s => (JsonNode?)s)])),
        Gen.Const(0).Select(_ => (JsonNode?)new JsonArray(new JsonObject(), 1, "a")));

    private enum Mutation { Set, Remove, Duplicate, Cut, Corrupt }

    private static readonly Gen<(Mutation, int, JsonNode?, int, char)> Cases =
        Gen.Select(Gen.Enum<Mutation>(), Gen.Int[0, Paths.Length - 1], Values, Gen.Int[0, 100_000], Gen.Char);

    [Fact]
    public void Every_generated_spec_is_read_or_refused_with_one_line_naming_it()
    {
        var tally = new FuzzTally();
        Cases.Sample((mutation, path, value, position, c) =>
        {
            var text = Mutate(mutation, Paths[path], value, position, c);
            try
            {
                var spec = RunSpecReader.Parse(text, "fuzz.json");
                SizeChecks(spec);
                tally.Accept();
            }
            catch (SpecException e)
            {
                Assert.StartsWith("fuzz.json", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
                tally.Reject(Kind(e.Message));
            }
        }, iter: FuzzCount.PerFamily, threads: 1);
        output.WriteLine($"run specs: {tally}");
        Assert.True(tally.Rejected > 0 && tally.Cases == FuzzCount.PerFamily, tally.ToString());
    }

    /// <summary>What a run does with a spec before it allocates: shapes on a backbone, parameter count, memory estimate.</summary>
    private static void SizeChecks(RunSpec spec)
    {
        var backbone = new T5Config { VocabSize = 512, DModel = 64, DKv = 16, DFf = 128, NumHeads = 4, NumLayers = 2, NumDecoderLayers = 2 };
        try
        {
            _ = spec.Method.ToLayout(backbone.DModel).Budget().Total;
            StepMemoryEstimate.EnsureFits(spec, backbone, limitBytes: 1L << 30);
        }
        catch (SpecException e)
        {
            throw new SpecException($"fuzz.json: {e.Message}");
        }
    }

    private static string Mutate(Mutation mutation, string[] path, JsonNode? value, int position, char c)
    {
        switch (mutation)
        {
            case Mutation.Cut:
                return Valid[..(position % Valid.Length)];
            case Mutation.Corrupt:
                var i = position % Valid.Length;
                return string.Concat(Valid.AsSpan(0, i), c.ToString(), Valid.AsSpan(i + 1));
            case Mutation.Duplicate:
                // The same key twice in one object: the last must not silently win.
                var key = path[^1];
                var at = Valid.IndexOf($"\"{key}\"", StringComparison.Ordinal);
                return at < 0 ? Valid.Replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 0, \"checkpoint_every\": 5")
                    : Valid.Insert(at, $"\"{key}\": {value?.ToJsonString() ?? "null"}, ");
        }
        var root = JsonNode.Parse(Valid, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        JsonNode parent = root;
        foreach (var step in path[..^1])
        {
            var next = parent is JsonArray a ? (int.Parse(step) < a.Count ? a[int.Parse(step)] : null) : parent[step];
            if (next is null) return root.ToJsonString();
            parent = next;
        }
        var last = path[^1];
        if (parent is JsonArray array)
        {
            var index = int.Parse(last);
            if (mutation == Mutation.Remove) array.RemoveAt(index);
            else array[index] = value?.DeepClone();
        }
        else if (parent is JsonObject obj)
        {
            if (mutation == Mutation.Remove) obj.Remove(last);
            else obj[last] = value?.DeepClone();
        }
        return root.ToJsonString();
    }

    private static string Kind(string message)
    {
        var afterSource = message["fuzz.json: ".Length..];
        var colon = afterSource.IndexOf(':');
        var head = colon > 0 ? afterSource[..colon] : afterSource;
        return head.StartsWith("invalid JSON", StringComparison.Ordinal) ? "invalid JSON"
            : head.StartsWith("a training step", StringComparison.Ordinal) ? "memory estimate"
            : head.Contains(' ') ? "other" : "bad key";
    }
}
