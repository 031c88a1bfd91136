using Accept.Training.Data.Demo;
using Accept.Training.T5;
using Accept.Training.Tokenization;

namespace Accept.Training.MultiTask;

/// <summary>
/// The demo's backbone: no pretrained weights can be downloaded here, so it is a randomly initialised T5
/// in Hugging Face's layout (config.json, model.safetensors) with a SentencePiece tokenizer (spiece.model,
/// T5's special ids) trained by this project on the demo corpora. It is untrained: prompt tuning on it
/// lowers the loss but stays near the majority baseline; real results need a pretrained checkpoint.
/// </summary>
public static class DemoBackbone
{
    public const int DefaultVocabSize = 2000;
    public const long Seed = 42;

    /// <summary>The demo corpora's npm cache inside <paramref name="cacheRoot"/> (e.g. <c>.cache/npm-datasets</c>).</summary>
    public static string DatasetCache(string cacheRoot) => Path.Combine(cacheRoot, "npm-datasets");

    public static T5Config Config(BackboneSize size, int vocabSize) => size switch
    {
        BackboneSize.Tiny => new T5Config { VocabSize = vocabSize, DModel = 128, DKv = 32, DFf = 512, NumHeads = 4, NumLayers = 2, NumDecoderLayers = 2 },
        _ => T5Config.Small with { VocabSize = vocabSize },
    };

    /// <summary>
    /// The cached tiny backbone in <c>cacheRoot/demo-backbone</c>, created once (demo corpora installed
    /// into <see cref="DatasetCache"/> first when missing).
    /// </summary>
    public static string Ensure(string cacheRoot, IProgress<string>? progress = null)
    {
        var directory = Path.GetFullPath(Path.Combine(cacheRoot, "demo-backbone"));
        if (IsComplete(directory))
        {
            progress?.Report($"untrained demo backbone already in {directory}");
            return directory;
        }
        IO.AtomicDirectory.Build(directory, building => Create(building, BackboneSize.Tiny, DefaultVocabSize, DatasetCache(cacheRoot), progress));
        return directory;
    }

    /// <summary>Writes a random T5 of <paramref name="size"/> and a tokenizer of at most <paramref name="vocabSize"/> pieces into <paramref name="outputDirectory"/>.</summary>
    /// <returns>The tokenizer's piece count (the model's vocab_size): fewer than asked when the corpora run out of pieces.</returns>
    public static int Create(string outputDirectory, BackboneSize size, int vocabSize, string datasetCache, IProgress<string>? progress = null)
    {
        if (vocabSize < 100) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "--vocab: expected at least 100 pieces");
        DemoDatasets.EnsureInstalled(datasetCache, progress);
        var corpus = new List<string>();
        foreach (var name in DemoTasks.Names)
        {
            var data = DemoTasks.Load(name, datasetCache, new DemoTaskOptions());
            corpus.AddRange(data.Train.SelectMany(e => new[] { e.Input, e.Target }));
        }
        progress?.Report($"training a {vocabSize}-piece SentencePiece tokenizer on {corpus.Count} demo texts");
        Directory.CreateDirectory(outputDirectory);
        int pieces = SentencePieceModelBuilder.Build(corpus, vocabSize, Path.Combine(outputDirectory, T5Tokenizer.ModelFileName));
        var config = Config(size, pieces);
        progress?.Report($"initialising a random T5 ({size.ToString().ToLowerInvariant()}: d_model {config.DModel}, {config.NumLayers}+{config.NumDecoderLayers} layers, vocab {pieces})");
        using var model = T5Model.CreateRandom(config, Seed);
        model.Save(outputDirectory);
        return pieces;
    }

    private static bool IsComplete(string directory) =>
        new[] { "config.json", "model.safetensors", T5Tokenizer.ModelFileName }.All(f => File.Exists(Path.Combine(directory, f)));
}
