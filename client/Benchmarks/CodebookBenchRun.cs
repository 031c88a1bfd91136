using System.Text.Json.Nodes;
using Accept.Training.T5;

namespace Accept.Client.Benchmarks;

/// <summary>
/// What the codebook-group benchmarks (`bench pushes`, `bench scale`) train against: a T5-base-shaped backbone
/// folder holding only config.json (the codebook grain reads nothing else, so T5-base codebooks come without
/// weights) and a one-line data file no step reads, written into a work folder.
/// </summary>
public sealed record CodebookBenchRun(string Backbone, string DataFile)
{
    /// <summary>T5-base: d 768, 12 heads, 12 encoder and decoder layers.</summary>
    public static T5Config BaseConfig => T5Config.Small with { DModel = 768, DKv = 64, DFf = 3072, NumHeads = 12, NumLayers = 12, NumDecoderLayers = 12 };

    public static async Task<CodebookBenchRun> WriteAsync(string work, CancellationToken cancel)
    {
        var backbone = Path.Combine(work, "t5-base-config");
        Directory.CreateDirectory(backbone);
        await File.WriteAllTextAsync(Path.Combine(backbone, "config.json"), BaseConfig.ToJson(), cancel);
        var data = Path.Combine(work, "unused.jsonl");
        await File.WriteAllTextAsync(data, "{\"i\":\"a\",\"t\":\"b\"}\n", cancel);
        return new CodebookBenchRun(backbone, data);
    }

    /// <summary>A spec's task entry named <paramref name="name"/> over the unused data file.</summary>
    public JsonNode Task(string name) => new JsonObject
    {
        ["name"] = name,
        ["source"] = "generic",
        ["file"] = DataFile,
        ["input_field"] = "i",
        ["target_field"] = "t",
        ["metric"] = "accuracy",
    };
}
