using Accept.Training.IO;
using Accept.Training.T5;
using Accept.Training.Tokenization;

namespace Accept.Client.Benchmarks.Memory;

/// <summary>
/// The memory benchmark's default backbone: a random T5 of t5-small's shape (memory depends on the shape, not
/// on trained weights) with a small SentencePiece tokenizer, written once and reused.
/// </summary>
internal static class MemoryBenchBackbone
{
    private const int TokenizerPieces = 400;

    private static readonly string[] Corpus =
    [
        "the cat sat on the mat", "a dog ran in the park", "birds fly over the green house", "fish swim in blue water",
        "an apple and bread for lunch", "rice with milk is food", "red blue and green are colours", "animal food colour",
        "even odd numbers one two three four five six seven eight nine ten", "positive negative good bad fine poor dull",
    ];

    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "accept-bench-memory-t5-small");

    /// <summary>The backbone in <see cref="DefaultDirectory"/>, created when missing.</summary>
    public static string Ensure(Action<string> progress)
    {
        var directory = DefaultDirectory;
        if (new[] { "config.json", "model.safetensors", T5Tokenizer.ModelFileName }.All(f => File.Exists(Path.Combine(directory, f))))
        {
            return directory;
        }
        AtomicDirectory.Build(directory, building =>
        {
            progress($"writing a random t5-small-shaped backbone to {directory}");
            var pieces = SentencePieceModelBuilder.Build(Corpus, TokenizerPieces, Path.Combine(building, T5Tokenizer.ModelFileName));
            if (pieces > T5Config.Small.VocabSize)
            {
                throw new InvalidOperationException($"tokenizer has {pieces} pieces, more than the model's vocab_size {T5Config.Small.VocabSize}");
            }
            using var model = T5Model.CreateRandom(T5Config.Small, seed: 1);
            model.Save(building);
        });
        return directory;
    }
}
