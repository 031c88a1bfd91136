using System.IO.Compression;
using System.Text;

namespace Accept.Tests.Data;

/// <summary>A temporary data directory for tests that write small files in the distribution formats.</summary>
public sealed class DataFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("accept-data-").FullName;

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string WriteLines(string relativePath, IEnumerable<string> lines) =>
        Write(relativePath, string.Join("\n", lines) + "\n");

    public string WriteGzipLines(string relativePath, IEnumerable<string> lines)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        foreach (var line in lines) writer.Write(line + "\n");
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
