using System.IO.Compression;
using System.Text;
using Accept.Training.Data;
using Accept.Training.Data.Generic;
using CsCheck;
using Xunit.Abstractions;

namespace Accept.Tests.Data;

/// <summary>
/// Generated data files (CsCheck): JSONL, CSV and gzip-compressed JSONL made of good lines, lines with wrong or
/// missing fields, random text and random bytes, then cut or corrupted. Each loads, or is refused with one
/// <see cref="DataFormatException"/> naming the file; nothing else is thrown.
/// </summary>
[Trait("Category", "Fast")]
public sealed class DataFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    private enum Format { Jsonl, Csv, Gzip }

    private enum Damage { None, Cut, Flip, Append }

    private static readonly Gen<byte[]> JsonLines = Gen.Frequency<byte[]>(
        (12, Gen.Select(Gen.String[1, 12], Gen.OneOf("pos", "neg", "other")).Select(t =>
            Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { text = t.Item1, label = t.Item2 })))),
        (1, Gen.OneOf("{\"text\":1,\"label\":\"pos\"}", "{\"text\":{},\"label\":\"pos\"}", "{\"label\":\"pos\"}", "[1,2]", "{\"text\":\"a\"",
            "{\"text\":\"a\",\"text\":\"b\",\"label\":\"pos\"}", "", "   ", "null", "{\"text\":\"\",\"label\":\"neg\"}").Select(Encoding.UTF8.GetBytes)),
        (1, Gen.String[0, 20].Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 20]));

    private static readonly Gen<byte[]> CsvLines = Gen.Frequency<byte[]>(
        (12, Gen.Select(Gen.String[1, 12], Gen.OneOf("pos", "neg")).Select(t => Encoding.UTF8.GetBytes($"\"{t.Item1.Replace("\"", "\"\"")}\",{t.Item2}"))),
        (1, Gen.OneOf("a,pos", "a,b,c", "a", "\"open,pos", "\"a\"\"b\",neg", "x\"y,pos", "\"multi\nline\",pos", ",", "").Select(Encoding.UTF8.GetBytes)),
        (1, Gen.String[0, 20].Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 20]));

    [Fact]
    public void Every_generated_data_file_loads_or_is_refused_naming_the_file()
    {
        var tally = new FuzzTally();
        var n = 0;
        Gen.Select(Gen.Enum<Format>(), JsonLines.Array[0, 12], CsvLines.Array[0, 12], Gen.Frequency((4, Damage.None), (1, Damage.Cut), (1, Damage.Flip), (1, Damage.Append)), Gen.Int[0, 100_000], Gen.Byte, Gen.Bool)
            .Sample((format, jsonl, csv, damage, position, value, withLabels) =>
        {
            var bytes = format switch
            {
                Format.Csv => Join([Encoding.UTF8.GetBytes("text,label"), .. csv]),
                Format.Jsonl => Join(jsonl),
                _ => Gzip(Join(jsonl)),
            };
            if (bytes.Length > 0)
            {
                if (damage == Damage.Cut) bytes = bytes[..(position % bytes.Length)];
                if (damage == Damage.Flip) bytes[position % bytes.Length] = value;
            }
            if (damage == Damage.Append) bytes = [.. bytes, value, (byte)'\n'];
            var path = Path.Combine(data.Root, $"f{n++}{(format == Format.Csv ? ".csv" : format == Format.Jsonl ? ".jsonl" : ".jsonl.gz")}");
            File.WriteAllBytes(path, bytes);
            try
            {
                var task = GenericTasks.Load(new GenericTaskSpec
                {
                    Name = "fuzz", File = path, InputField = "text", TargetField = "label", TrainFraction = 1.0, ValidationFraction = 0,
                    Labels = withLabels ? ["pos", "neg"] : null,
                });
                Assert.NotEmpty(task.Train);
                tally.Accept();
            }
            catch (DataFormatException e)
            {
                Assert.Equal(path, e.File);
                Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
                tally.Reject(Kind(e.Message));
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: FuzzCount.PerFamily, threads: 1);
        output.WriteLine($"data files: {tally}");
        Assert.True(tally.Rejected > 0 && tally.Accepted > 0, tally.ToString());
    }

    private static string Kind(string message) =>
        new[] { "gzip", "UTF-8", "NUL", "not valid JSON", "JSON object", "missing", "expected", "labels", "no examples", "empty", "not closed", "input is empty" }
            .FirstOrDefault(message.Contains) ?? "other";

    private static byte[] Join(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => l.Append((byte)'\n'))];

    private static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return memory.ToArray();
    }
}
