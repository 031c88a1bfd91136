namespace Accept.Tests;

/// <summary>The golden T5 v1.0 fixture's weights with the fixture SentencePiece model (vocab 512 both), as a backbone folder.</summary>
internal static class TinyBackbone
{
    /// <summary>Creates <paramref name="directory"/> holding config.json, model.safetensors and spiece.model.</summary>
    public static string CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
        File.Copy(Path.Combine(fixtures, "t5-tiny-v1", "config.json"), Path.Combine(directory, "config.json"));
        File.Copy(Path.Combine(fixtures, "t5-tiny-v1", "model.safetensors"), Path.Combine(directory, "model.safetensors"));
        File.Copy(Path.Combine(fixtures, "tokenizer", "spiece.model"), Path.Combine(directory, "spiece.model"));
        return directory;
    }
}
