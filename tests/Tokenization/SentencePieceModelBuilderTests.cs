using Accept.Training.Tokenization;
using Accept.Training.Tokenization.SentencePiece;
using Accept.Training.Tokenization.Training;

namespace Accept.Tests.Tokenization;

[Trait("Category", "Fast")]
public sealed class SentencePieceModelBuilderTests : IDisposable
{
    private static readonly string[] Corpus =
    [
        "The quick brown fox jumps over the lazy dog.",
        "A wizard's job is to vex chumps quickly in fog.",
        "Pack my box with five dozen liquor jugs!",
        "The five boxing wizards jump quickly; the dog sleeps.",
        "Sphinx of black quartz, judge my vow: 12 or 345?",
        "the the the quick quick fox fox fox",
        "Jackdaws love my big sphinx of quartz (really).",
        "How vexingly quick daft zebras jump over the fence, said the dog.",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("accept-spm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private T5Tokenizer BuildAndLoad(int vocabSize, out int written)
    {
        written = SentencePieceModelBuilder.Build(Enumerable.Repeat(Corpus, 5).SelectMany(c => c), vocabSize, Path.Combine(_dir, "spiece.model"));
        return T5Tokenizer.Load(_dir);
    }

    [Fact]
    public void Built_model_has_t5_special_ids_and_no_bos()
    {
        var tok = BuildAndLoad(120, out var written);
        Assert.Equal((0, 1, 2), (tok.PadId, tok.EosId, tok.UnkId));
        Assert.Equal(-1, tok.Model.BosId);
        Assert.Equal(ModelType.Unigram, tok.Model.ModelType);
        Assert.False(tok.Model.ByteFallback);
        Assert.Equal(written, tok.VocabSize);
        Assert.InRange(written, 50, 120);
        Assert.Equal(["<pad>", "</s>", "<unk>"], tok.Model.Pieces.Take(3).Select(p => p.Piece));
    }

    [Fact]
    public void Round_trip_gives_back_the_normalised_text()
    {
        var tok = BuildAndLoad(120, out _);
        foreach (var line in Corpus.Append("  fox\tjumps\n over  the dog  "))
        {
            var ids = tok.Encode(line);
            Assert.Equal(tok.EosId, ids[^1]);
            Assert.DoesNotContain(tok.UnkId, ids);
            Assert.Equal(NmtNfkcRules.Normalize(line), tok.Decode(ids));
        }
    }

    [Fact]
    public void Normaliser_folds_full_width_and_ligatures_and_drops_controls()
    {
        var tok = BuildAndLoad(120, out _);
        Assert.Equal(tok.Encode("quick fox 12"), tok.Encode("ｑｕｉｃｋ\u0001 fox \u200B１２"));
        Assert.Equal("five fish", tok.Decode(tok.Encode("ﬁve ﬁsh")));
    }

    [Fact]
    public void Frequent_words_become_single_pieces_and_scores_are_log_probabilities()
    {
        var tok = BuildAndLoad(120, out _);
        Assert.Single(tok.Encode("the", addEos: false));
        Assert.Single(tok.Encode("quick", addEos: false));
        var normal = tok.Model.Pieces.Skip(3).ToList();
        Assert.All(normal, p => Assert.True(p.Score < 0, $"{p.Piece} has score {p.Score}"));
        Assert.Equal(normal.OrderByDescending(p => p.Score).Select(p => p.Score), normal.Select(p => p.Score));
    }

    [Fact]
    public void Unseen_characters_are_unk_and_a_run_of_them_is_one()
    {
        var tok = BuildAndLoad(120, out _);
        Assert.Single(tok.Encode("fox 日本語 dog", addEos: false), id => id == tok.UnkId);
    }

    [Fact]
    public void Building_is_deterministic_and_replaces_the_file_atomically()
    {
        var path = Path.Combine(_dir, "spiece.model");
        File.WriteAllText(path, "old");
        SentencePieceModelBuilder.Build(Corpus, 80, path);
        var first = File.ReadAllBytes(path);
        SentencePieceModelBuilder.Build(Corpus, 80, path);
        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal(["spiece.model"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Small_budgets_keep_the_commonest_characters()
    {
        var tok = BuildAndLoad(20, out var written);
        Assert.Equal(20, written);
        Assert.Contains(tok.Model.Pieces, p => p.Piece == "e");
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_reason()
    {
        var path = Path.Combine(_dir, "spiece.model");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SentencePieceModelBuilder.Build(Corpus, 3, path));
        Assert.Contains("special pieces", e.Message);
        Assert.Throws<ArgumentException>(() => SentencePieceModelBuilder.Build(["", "   "], 100, path));
        Assert.False(File.Exists(path));
    }
}
