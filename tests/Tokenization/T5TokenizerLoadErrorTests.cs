using Accept.Training.Tokenization;
using Accept.Training.Tokenization.SentencePiece;

namespace Accept.Tests.Tokenization;

[Trait("Category", "Fast")]
public sealed class T5TokenizerLoadErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("accept-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Missing_file_is_named()
    {
        var path = Path.Combine(_dir, "nope.model");
        var e = Assert.Throws<FileNotFoundException>(() => T5Tokenizer.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Directory_without_spiece_model_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => T5Tokenizer.Load(_dir));
        Assert.Contains(_dir, e.Message);
        Assert.Contains("spiece.model", e.Message);
    }

    [Theory]
    [InlineData("{\"not\": \"a model\"}")]
    [InlineData("")]
    public void Non_sentencepiece_file_is_rejected_with_its_name(string content)
    {
        var path = Path.Combine(_dir, "spiece.model");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => T5Tokenizer.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a SentencePiece model", e.Message);
    }

    [Fact]
    public void Bpe_model_is_rejected()
    {
        var path = Path.Combine(_dir, "spiece.model");
        File.WriteAllBytes(path, WithTrainerField(File.ReadAllBytes(TokenizerFixtures.ModelFile), SentencePieceModel.TrainerModelType, (int)ModelType.Bpe));
        var e = Assert.Throws<InvalidDataException>(() => T5Tokenizer.Load(path));
        Assert.Contains("Bpe", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Model_with_a_bos_piece_also_loads_and_encodes_the_same()
    {
        var original = File.ReadAllBytes(TokenizerFixtures.ModelFile);
        var model = SentencePieceModel.Parse(original, "fixture");
        var path = Path.Combine(_dir, "spiece.model");
        File.WriteAllBytes(path, model.WithBosId(0));
        var withBos = T5Tokenizer.Load(path);
        var withoutBos = T5Tokenizer.Load(TokenizerFixtures.ModelFile);
        Assert.Equal(0, withBos.Model.BosId);
        const string text = "Copyright holders may add their own terms.";
        Assert.Equal(withoutBos.Encode(text), withBos.Encode(text));
    }

    private static byte[] WithTrainerField(byte[] model, int field, int value)
    {
        var writer = new ProtoWriter();
        var reader = new ProtoReader(model);
        while (!reader.AtEnd)
        {
            var f = reader.Next(out var raw);
            if (f.Number != SentencePieceModel.ModelTrainerSpec)
            {
                writer.WriteRaw(raw);
                continue;
            }
            var spec = new ProtoWriter();
            var specReader = new ProtoReader(f.Bytes);
            while (!specReader.AtEnd)
            {
                var g = specReader.Next(out var graw);
                if (g.Number != field)
                    spec.WriteRaw(graw);
            }
            spec.WriteInt32(field, value);
            writer.WriteBytes(SentencePieceModel.ModelTrainerSpec, spec.ToArray());
        }
        return writer.ToArray();
    }
}
