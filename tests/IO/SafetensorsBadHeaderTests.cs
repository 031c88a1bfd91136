using System.Text;
using Accept.Training.IO;
using CsCheck;
using Xunit.Abstractions;

namespace Accept.Tests.IO;

/// <summary>
/// Issue 11, "Backbone files": a safetensors header whose tensors share bytes is refused (it would alias
/// weights), and generated malformed headers (CsCheck) are each read or refused with a <see cref="CheckpointException"/>.
/// </summary>
[Trait("Category", "Fast")]
public sealed class SafetensorsBadHeaderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("accept-st-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Overlapping_data_offsets_are_refused_naming_both_tensors()
    {
        var path = Write("overlap.safetensors",
            """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24);

        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());

        Assert.Contains(path, error.Message);
        Assert.Contains("tensor 'b' data_offsets [8, 24] overlap tensor 'a' [0, 16]", error.Message);
    }

    [Fact]
    public void A_shape_whose_size_overflows_is_refused()
    {
        var path = Write("overflow.safetensors",
            """{"a":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,16]}}""", 16);

        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());

        Assert.Contains("holds more bytes than a file can", error.Message);
    }

    [Fact]
    public void A_duplicate_tensor_name_is_refused()
    {
        var path = Write("dup.safetensors",
            """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8);

        var error = Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());

        Assert.Contains(path, error.Message);
    }

    private static readonly Gen<string> Dtypes = Gen.OneOf("F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "X9", "", "f32");

    private static readonly Gen<string> Shapes = Gen.OneOf(
        Gen.Long[-3, 9].Array[0, 4].Select(a => $"[{string.Join(",", a)}]"),
        Gen.OneOf("[]", "[4294967296,4294967296]", "[1.5]", "[\"2\"]", "{}", "null", "[9223372036854775807,2]"));

    private static readonly Gen<string> Offsets = Gen.OneOf(
        Gen.Select(Gen.Long[-8, 80], Gen.Long[-8, 80]).Select(t => $"[{t.Item1},{t.Item2}]"),
        Gen.OneOf("[0]", "[0,4,8]", "\"0,4\"", "[0.5,4]", "null", "[9223372036854775807,0]"));

    private static readonly Gen<string> Entries = Gen.Select(Gen.String[0, 6], Dtypes, Shapes, Offsets)
        .Select(t => $"{System.Text.Json.JsonSerializer.Serialize(t.Item1)}:{{\"dtype\":\"{t.Item2}\",\"shape\":{t.Item3},\"data_offsets\":{t.Item4}}}");

    private static readonly Gen<(string Header, int DataBytes, int Cut)> Headers = Gen.Select(
        Entries.Array[0, 4].Select(e => "{" + string.Join(",", e) + "}"),
        Gen.Int[0, 64],
        Gen.Int[-1, 200]);

    [Fact]
    public void Every_generated_header_is_read_or_refused_naming_the_file()
    {
        var tally = new FuzzTally();
        var n = 0;
        Headers.Sample((header, dataBytes, cut) =>
        {
            var text = cut >= 0 && cut < header.Length ? header[..cut] : header;
            var path = Write($"f{n++}.safetensors", text, dataBytes);
            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (var tensor in file.Tensors) file.Read(tensor.Name).Dispose();
                tally.Accept();
            }
            catch (CheckpointException e)
            {
                Assert.Contains(path, e.Message);
                tally.Reject(e.Message.Contains("header JSON") ? "invalid JSON" : e.Message.Contains("overlap") ? "overlap" : "bad entry");
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: FuzzCount.PerFamily, threads: 1);
        output.WriteLine($"safetensors headers: {tally}");
        Assert.True(tally.Rejected > 0, tally.ToString());
    }

    private string Write(string name, string header, int dataBytes)
    {
        var path = Path.Combine(_root, name);
        var headerBytes = Encoding.UTF8.GetBytes(header);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((long)headerBytes.Length));
        stream.Write(headerBytes);
        stream.Write(new byte[dataBytes]);
        return path;
    }
}
