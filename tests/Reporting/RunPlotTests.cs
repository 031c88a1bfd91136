using System.Buffers.Binary;
using Accept.Training.Reporting;

namespace Accept.Tests.Reporting;

[Trait("Category", "Fast")]
public class RunPlotTests
{
    [Fact]
    public void A_png_of_two_panels_is_written_at_the_plot_size_and_replaces_the_old_file()
    {
        var dir = Directory.CreateTempSubdirectory("accept-plot");
        var path = Path.Combine(dir.FullName, "curves.png");
        File.WriteAllText(path, "old");
        RunPlot.SavePng(path, [
            new TaskCurves("spam", "accuracy", [(1, 3.0), (100, 1.5), (200, 0.7)], [(100, 0.6), (200, 0.7)], 0.55),
            new TaskCurves("party", null, [(1, 2.0), (200, 1.1)], [], null),
        ]);

        var png = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(RunPlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2 * RunPlot.PanelHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Single(Directory.GetFiles(dir.FullName));
    }

    [Fact]
    public void A_run_without_points_still_gets_a_png()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("accept-plot").FullName, "curves.png");
        RunPlot.SavePng(path, []);
        Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
    }
}
