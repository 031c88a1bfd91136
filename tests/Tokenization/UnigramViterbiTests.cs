using Accept.Training.Tokenization;
using Accept.Training.Tokenization.SentencePiece;
using Accept.Training.Tokenization.Training;

namespace Accept.Tests.Tokenization;

/// <summary>Segmentations whose scores differ only by float rounding must resolve as sentencepiece resolves them.</summary>
[Trait("Category", "Fast")]
public sealed class UnigramViterbiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("accept-viterbi-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private T5Tokenizer Write(params ModelPiece[] normal)
    {
        ModelPiece[] pieces = [new("<pad>", 0, PieceType.Control), new("</s>", 0, PieceType.Control), new("<unk>", 0, PieceType.Unknown), .. normal];
        var path = Path.Combine(_dir, "spiece.model");
        File.WriteAllBytes(path, ModelProtoWriter.Write(pieces, "identity", []));
        return T5Tokenizer.Load(path);
    }

    [Fact]
    public void Near_ties_resolve_as_in_sentencepiece()
    {
        // Scores from a model our builder made; sentencepiece 0.1.97 encodes 61 dashes as ▁ + 16 + 16 + 16 + 13
        // (ids 3,7,7,7,6) where ML.Tokenizers 2.0.1 gives ▁ + 13 + 16 + 16 + 16, and 29 dashes as 3,6,7.
        var tok = Write(
            new("\u2581", -3.7073397636413574f, PieceType.Normal),
            new("-", -6.1258440017700195f, PieceType.Normal),
            new("--", -8.268707275390625f, PieceType.Normal),
            new(new string('-', 13), -8.74828052520752f, PieceType.Normal),
            new(new string('-', 16), -9.010644912719727f, PieceType.Normal));
        Assert.Equal([3, 7, 7, 7, 6], tok.Encode(new string('-', 61), addEos: false));
        Assert.Equal([3, 6, 7], tok.Encode(new string('-', 29), addEos: false));
    }

    [Fact]
    public void Exact_ties_keep_the_segmentation_found_first()
    {
        var tok = Write(
            new("\u2581", -1, PieceType.Normal),
            new("x", -10, PieceType.Normal),
            new("xx", -2, PieceType.Normal),
            new("xxx", -3, PieceType.Normal));
        // xx+xxx and xxx+xx both score −6; sentencepiece keeps the path through the earlier start.
        Assert.Equal([3, 5, 6], tok.Encode("xxxxx", addEos: false));
    }

    [Fact]
    public void Duplicate_pieces_are_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => Write(new("\u2581", -1, PieceType.Normal), new("\u2581", -2, PieceType.Normal)));
        Assert.Contains("appears twice", e.Message);
    }
}
