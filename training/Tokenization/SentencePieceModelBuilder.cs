using Accept.Training.Tokenization.SentencePiece;
using Accept.Training.Tokenization.Training;

namespace Accept.Training.Tokenization;

/// <summary>
/// Trains a T5-layout SentencePiece unigram <c>spiece.model</c> (pad 0, eos 1, unk 2, no BOS, nmt_nfkc-like
/// normaliser with dummy prefix and whitespace folding, no byte fallback) from a text corpus, with our own
/// code only. The file loads in <see cref="T5Tokenizer"/> and in the sentencepiece library.
/// </summary>
public static class SentencePieceModelBuilder
{
    private const char SpaceSymbol = '\u2581';
    private const int SpecialPieces = 3;

    /// <summary>Trains on <paramref name="corpus"/> and writes the model to <paramref name="outputPath"/> atomically.</summary>
    /// <returns>The number of pieces written: at most <paramref name="vocabSize"/>, fewer if the corpus has too few distinct substrings.</returns>
    public static int Build(IEnumerable<string> corpus, int vocabSize, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        if (vocabSize <= SpecialPieces)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"vocabulary size must exceed the {SpecialPieces} special pieces (pad, eos, unk)");

        var words = CountWords(corpus);
        if (words.Count == 0)
            throw new ArgumentException("the corpus has no text to learn a vocabulary from", nameof(corpus));

        var learned = UnigramTrainer.Train(words, vocabSize - SpecialPieces);
        var pieces = new List<ModelPiece>
        {
            new("<pad>", 0, PieceType.Control),
            new("</s>", 0, PieceType.Control),
            new("<unk>", 0, PieceType.Unknown),
        };
        pieces.AddRange(learned.Select(p => new ModelPiece(p.Piece, p.Score, PieceType.Normal)));

        var bytes = ModelProtoWriter.Write(pieces, NmtNfkcRules.Name, PrecompiledCharsmap.Build(NmtNfkcRules.All()));
        WriteAtomically(outputPath, bytes);
        return pieces.Count;
    }

    /// <summary>Words as the unigram model sees them: normalised, split at spaces, each with its ▁ prefix.</summary>
    private static Dictionary<string, long> CountWords(IEnumerable<string> corpus)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in corpus)
        {
            if (string.IsNullOrEmpty(line))
                continue;
            foreach (var word in NmtNfkcRules.Normalize(line).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = SpaceSymbol + word;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        return counts;
    }

    private static void WriteAtomically(string path, byte[] bytes) => IO.AtomicFile.WriteAllBytes(path, bytes);
}
