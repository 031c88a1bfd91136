using Accept.Training.Tokenization;
using Accept.Training.Tokenization.SentencePiece;
using Accept.Training.Tokenization.Training;
using CsCheck;
using Xunit.Abstractions;

namespace Accept.Tests.Tokenization;

/// <summary>
/// Issue 11, "Backbone files": a spiece.model is validated before Microsoft.ML.Tokenizers sees it (an empty
/// piece threw an unhandled ArgumentException inside it, a piece of 100,000+ characters overflowed its stack,
/// a NaN score was accepted); generated malformed models (CsCheck) each load or are refused with an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
[Trait("Category", "Fast")]
public sealed class SpieceModelValidationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("accept-spiece-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> BadPieces => new()
    {
        { "empty", "pieces[4].piece is empty" },
        { "long", "pieces[4].piece is 100000 characters long (at most 1024 accepted)" },
        { "nan", "pieces[4].score is NaN (expected a finite number)" },
        { "inf", "pieces[4].score is -∞ (expected a finite number)" },
    };

    [Theory]
    [MemberData(nameof(BadPieces))]
    public void A_bad_piece_is_refused_before_the_library_sees_it(string kind, string expected)
    {
        var bad = kind switch
        {
            "empty" => new ModelPiece("", -1, PieceType.Normal),
            "long" => new ModelPiece(new string('a', 100_000), -1, PieceType.Normal),
            "nan" => new ModelPiece("b", float.NaN, PieceType.Normal),
            _ => new ModelPiece("b", float.NegativeInfinity, PieceType.Normal),
        };
        var path = Write("spiece.model", [new("a", -1, PieceType.Normal), bad]);

        var error = Assert.Throws<InvalidDataException>(() => T5Tokenizer.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message.Replace("-Infinity", "-∞"));
    }

    private static readonly Gen<ModelPiece> Pieces = Gen.Select(
        Gen.OneOf(Gen.String[0, 8], Gen.OneOf("", "▁", "<unk>", "a", "\0", "\uD800"), Gen.Char.Array[1025, 1100].Select(c => new string(c))),
        Gen.OneOf(Gen.Float, Gen.OneOf(float.NaN, float.PositiveInfinity, 0f, -1e30f)),
        Gen.Enum<PieceType>()).Select(t => new ModelPiece(t.Item1, t.Item2, t.Item3));

    private enum Damage { None, Cut, Flip }

    [Fact]
    public void Every_generated_model_loads_and_encodes_or_is_refused_naming_the_file()
    {
        var tally = new FuzzTally();
        var n = 0;
        Gen.Select(Pieces.Array[0, 6], Gen.Enum<Damage>(), Gen.Int[0, 10_000], Gen.Byte).Sample((extra, damage, position, value) =>
        {
            var bytes = Model([new("a", -1, PieceType.Normal), .. extra]);
            if (damage == Damage.Cut) bytes = bytes[..(position % bytes.Length)];
            if (damage == Damage.Flip) bytes[position % bytes.Length] = value;
            var path = Path.Combine(_dir, $"m{n++}.model");
            File.WriteAllBytes(path, bytes);
            try
            {
                var tokenizer = T5Tokenizer.Load(path);
                var ids = tokenizer.Encode("a b ▁ unknown <unk>");
                Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
                tally.Accept();
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(path, e.Message);
                tally.Reject(e.Message.Contains("appears twice") ? "duplicate piece" : e.Message.Contains("pieces[") ? "bad piece" : "malformed model");
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: FuzzCount.PerFamily, threads: 1);
        output.WriteLine($"spiece.model files: {tally}");
        Assert.True(tally.Rejected > 0 && tally.Accepted > 0, tally.ToString());
    }

    private static byte[] Model(IEnumerable<ModelPiece> normal) =>
        ModelProtoWriter.Write([new("<pad>", 0, PieceType.Control), new("</s>", 0, PieceType.Control), new("<unk>", 0, PieceType.Unknown), .. normal], "identity", []);

    private string Write(string name, IEnumerable<ModelPiece> normal)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, Model(normal));
        return path;
    }
}
