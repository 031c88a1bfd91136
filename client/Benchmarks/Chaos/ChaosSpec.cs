using System.Text.Json.Nodes;
using Accept.Training.IO;
using Accept.Training.T5;
using Accept.Client.Benchmarks.Memory;
using Accept.Training.Tokenization;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// The default spec of `accept bench chaos`: three tiny generic tasks in one sync codebook group on a random
/// tiny T5 (d_model 32, 2+2 layers), 60 steps with a checkpoint every 10, so a run takes seconds of training
/// and the faults, not the model, decide its length.
/// </summary>
internal static class ChaosSpec
{
    public const int Steps = 60;
    public const int CheckpointEvery = 10;

    private static readonly string[] Corpus =
    [
        "the cat sat on the mat", "a dog ran in the park", "birds fly over the green house", "fish swim in blue water",
        "an apple and bread for lunch", "rice with milk is food", "red blue and green are colours", "animal food colour",
    ];

    private static readonly T5Config Tiny = new()
    {
        VocabSize = 256, DModel = 32, DKv = 8, DFf = 64, NumHeads = 4, NumLayers = 2, NumDecoderLayers = 2,
    };

    /// <summary>Writes the backbone (once per machine, in the temp folder) and the spec into <paramref name="work"/>; returns the spec's path.</summary>
    public static string Write(string work, Action<string> progress)
    {
        var backbone = EnsureBackbone(progress);
        var spec = JsonNode.Parse(MemoryBenchSpec.Write(work, backbone, tasks: 3))!.AsObject();
        var optimization = spec["optimization"]!.AsObject();
        optimization["steps"] = Steps;
        optimization["eval_every"] = Steps;
        spec["checkpoint_every"] = CheckpointEvery;
        var path = Path.Combine(work, "chaos-spec.json");
        File.WriteAllText(path, spec.ToJsonString());
        return path;
    }

    private static string EnsureBackbone(Action<string> progress)
    {
        var directory = Path.Combine(Path.GetTempPath(), "accept-bench-chaos-tiny-t5");
        if (new[] { "config.json", "model.safetensors", T5Tokenizer.ModelFileName }.All(f => File.Exists(Path.Combine(directory, f))))
        {
            return directory;
        }
        AtomicDirectory.Build(directory, building =>
        {
            progress($"writing a random tiny T5 backbone to {directory}");
            SentencePieceModelBuilder.Build(Corpus, Tiny.VocabSize, Path.Combine(building, T5Tokenizer.ModelFileName));
            using var model = T5Model.CreateRandom(Tiny, seed: 1);
            model.Save(building);
        });
        return directory;
    }
}
