using System.Buffers.Binary;
using System.IO.Compression;
using Accept.Training.Reporting;

namespace Accept.Tests.Reporting;

[Trait("Category", "Fast")]
public class LineChartTests
{
    [Fact]
    public void PngDecodesToTheRenderedPixels()
    {
        var panels = new[]
        {
            new ChartPanel("LOSS", "STEP", [
                new Series("spam", [(0, 3.0), (100, 1.5), (200, 0.7)]),
                new Series("party", [(0, 2.0), (100, 1.8), (200, 1.1)]),
            ]),
            new ChartPanel("METRIC", "STEP", [new Series("spam", [(100, 0.6), (200, 0.7)])]),
        };
        var canvas = LineChart.Render(panels, width: 400, panelHeight: 200);
        var png = PngEncoder.Encode(canvas);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        var decoded = DecodeRgb(png, 400, 400);
        Assert.Equal(canvas.Pixels, decoded);
        // Both series' colours are drawn (blue and orange of the palette).
        Assert.True(ContainsColour(decoded, 31, 119, 180));
        Assert.True(ContainsColour(decoded, 255, 127, 14));
    }

    [Fact]
    public void SavePngWritesAtomicallyAndOverwrites()
    {
        var dir = Directory.CreateTempSubdirectory("accept-chart");
        var path = Path.Combine(dir.FullName, "curves.png");
        File.WriteAllText(path, "old");
        LineChart.SavePng(path, [new ChartPanel("EMPTY", "STEP", [])]);
        Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
        Assert.Single(Directory.GetFiles(dir.FullName));
    }

    static byte[] DecodeRgb(byte[] png, int w, int h)
    {
        int pos = 8;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            if (type == "IDAT") idat.Write(png, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            Assert.Equal(0, bytes[y * (w * 3 + 1)]);
            Array.Copy(bytes, y * (w * 3 + 1) + 1, rgb, y * w * 3, w * 3);
        }
        return rgb;
    }

    static bool ContainsColour(byte[] rgb, byte r, byte g, byte b)
    {
        for (int i = 0; i < rgb.Length; i += 3)
            if (rgb[i] == r && rgb[i + 1] == g && rgb[i + 2] == b) return true;
        return false;
    }
}
