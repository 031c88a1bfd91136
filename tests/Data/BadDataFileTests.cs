using System.IO.Compression;
using System.Text;
using Accept.Training.Data;
using Accept.Training.Data.Generic;

namespace Accept.Tests.Data;

/// <summary>
/// Issue 11, "Data files": every malformed data file ends in one <see cref="DataFormatException"/> naming the
/// file (and the line and field where there is one), never quoting the file's contents.
/// </summary>
[Trait("Category", "Fast")]
public sealed class BadDataFileTests : IDisposable
{
    private const string Secret = "SECRET-CONTENT";
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    public static TheoryData<string, string, int?, string?, string> Cases => new()
    {
        // name, file name, expected line, expected field, expected words in the message
        { "missing field", "missing.jsonl", 2, "text", "missing field" },
        { "wrongly typed field", "typed.jsonl", 1, "text", "expected a string, number or boolean" },
        { "empty jsonl", "empty.jsonl", null, null, "no examples" },
        { "empty csv", "empty.csv", null, null, "empty file" },
        { "header-only csv", "header.csv", null, null, "no examples" },
        { "BOM-only csv", "bom.csv", null, null, "empty file" },
        { "unterminated quote", "quote.csv", 3, null, "not closed" },
        { "ragged row", "ragged.csv", 3, "label", "expected 2 comma-separated fields" },
        { "NUL bytes", "nul.jsonl", 2, null, "NUL byte" },
        { "invalid JSON line", "invalid.jsonl", 2, null, "not valid JSON" },
        { "label not in labels", "label.jsonl", 2, "label", "not one of the task's labels" },
        { "invalid UTF-8", "utf8.jsonl", 2, null, "not valid UTF-8" },
        { "truncated gzip", "cut.jsonl.gz", null, null, "gzip" },
        { "gzip with a bad CRC", "crc.jsonl.gz", null, null, "gzip data is corrupt" },
        { "plain text named .gz", "plain.jsonl.gz", null, null, "not gzip-compressed" },
        { "gzip cut at a line boundary", "boundary.jsonl.gz", null, null, "truncated" },
        { "gzip bomb (one huge line)", "bomb.jsonl.gz", 1, null, "longer than" },
        { "duplicate CSV column", "dupcol.csv", 1, "text", "appears twice" },
        { "JSON line with a duplicate key", "dupkey.jsonl", 1, null, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_file_is_one_error_naming_file_line_and_field(string name, string file, int? line, string? field, string words)
    {
        var path = Make(file);
        var error = Assert.Throws<DataFormatException>(() => Load(path));

        Assert.Equal(path, error.File);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        if (line is { } l) Assert.Equal(l, error.Line);
        if (field is not null) Assert.Equal(field, error.Field);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_csv_symlinked_to_a_file_that_is_not_data_is_not_echoed()
    {
        var target = data.Write("passwd", $"root:x:0:0:{Secret}:/root:/bin/bash\ndaemon:x:1:1:{Secret}:/usr/sbin\n");
        var link = Path.Combine(data.Root, "data.csv");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<DataFormatException>(() => Load(link));

        Assert.Contains("data.csv", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.DoesNotContain("root", error.Message);
    }

    [Fact]
    public void A_concatenated_multi_member_gzip_reads_every_member()
    {
        var first = Gzip(Lines(0, 3));
        var second = Gzip(Lines(3, 6));
        var path = Path.Combine(data.Root, "two.jsonl.gz");
        File.WriteAllBytes(path, [.. first, .. second]);

        var task = Load(path);

        Assert.Equal(6, task.Train.Count);
    }

    private TaskData Load(string path) => GenericTasks.Load(new GenericTaskSpec
    {
        Name = "t", File = path, InputField = "text", TargetField = "label", TrainFraction = 1.0, ValidationFraction = 0,
        Labels = path.Contains("label.jsonl") ? ["pos", "neg"] : null,
    });

    private static string Lines(int from, int to) =>
        string.Concat(Enumerable.Range(from, to - from).Select(i => $"{{\"text\":\"example {i}\",\"label\":\"{(i % 2 == 0 ? "pos" : "neg")}\"}}\n"));

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return memory.ToArray();
    }

    private string Make(string file)
    {
        var path = Path.Combine(data.Root, file);
        var good = "{\"text\":\"fine\",\"label\":\"pos\"}\n";
        byte[] bytes = file switch
        {
            "missing.jsonl" => Encoding.UTF8.GetBytes(good + $"{{\"other\":\"{Secret}\",\"label\":\"pos\"}}\n"),
            "typed.jsonl" => Encoding.UTF8.GetBytes($"{{\"text\":{{\"a\":\"{Secret}\"}},\"label\":\"pos\"}}\n"),
            "empty.jsonl" or "empty.csv" => [],
            "header.csv" => Encoding.UTF8.GetBytes("text,label\n"),
            "bom.csv" => [0xEF, 0xBB, 0xBF],
            "quote.csv" => Encoding.UTF8.GetBytes($"text,label\nfine,pos\n\"{Secret} never closed,pos\nmore,neg\n"),
            "ragged.csv" => Encoding.UTF8.GetBytes($"text,label\nfine,pos\n{Secret}\n"),
            "nul.jsonl" => [.. Encoding.UTF8.GetBytes(good), .. Encoding.UTF8.GetBytes("{\"text\":\"a"), 0, .. Encoding.UTF8.GetBytes("\",\"label\":\"pos\"}\n")],
            "invalid.jsonl" => Encoding.UTF8.GetBytes(good + $"{Secret}\n"),
            "label.jsonl" => Encoding.UTF8.GetBytes(good + $"{{\"text\":\"x\",\"label\":\"{Secret}\"}}\n"),
            "utf8.jsonl" => [.. Encoding.UTF8.GetBytes(good), .. Encoding.UTF8.GetBytes("{\"text\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"label\":\"pos\"}\n")],
            "cut.jsonl.gz" => Gzip(Lines(0, 2000))[..400],
            "crc.jsonl.gz" => CorruptCrc(Gzip(Lines(0, 50))),
            "plain.jsonl.gz" => Encoding.UTF8.GetBytes(Lines(0, 5) + Secret + "\n"),
            "boundary.jsonl.gz" => CutAtLineBoundary(),
            "bomb.jsonl.gz" => Gzip(new string('a', 3 << 20)),
            "dupcol.csv" => Encoding.UTF8.GetBytes("text,label,text\na,pos,b\n"),
            "dupkey.jsonl" => Encoding.UTF8.GetBytes($"{{\"text\":\"a\",\"text\":\"{Secret}\",\"label\":\"pos\"}}\n"),
            _ => throw new ArgumentException(file),
        };
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] CorruptCrc(byte[] gzip)
    {
        gzip[^8] ^= 0xFF;
        return gzip;
    }

    /// <summary>The first lines flushed as complete deflate blocks, then the file cut there: valid data, no final block, no trailer.</summary>
    private static byte[] CutAtLineBoundary()
    {
        using var memory = new MemoryStream();
        using var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(Encoding.UTF8.GetBytes(Lines(0, 20)));
        gzip.Flush();
        var cut = memory.ToArray();
        gzip.Write(Encoding.UTF8.GetBytes(Lines(20, 40)));
        return cut;
    }
}
