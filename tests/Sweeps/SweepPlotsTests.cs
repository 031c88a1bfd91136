using Accept.Training.Sweeps;

namespace Accept.Tests.Sweeps;

/// <summary>ScottPlot renders here (SkiaSharp's native library loads): the sweep plots are real PNG files.</summary>
[Trait("Category", "Fast")]
public sealed class SweepPlotsTests
{
    [Fact]
    public void Objective_and_parameter_plots_are_written_as_png()
    {
        var dir = Directory.CreateTempSubdirectory("accept-sweep-plots-").FullName;
        try
        {
            var spec = SweepSpecs.Asha(trials: 3, grace: 10, eta: 2, maxSteps: 40);
            var state = SweepEngine.Create("s", spec);
            SweepEngine.Decide(state, spec, new SlotsFree(3));
            for (var i = 0; i < 3; i++) SweepEngine.Decide(state, spec, new MilestoneReached(i, 10, 3.0 - i));
            SweepEngine.Decide(state, spec, new TrialEnded(2, TrialState.Completed, 40, 0.5, null));
            var sweep = new SweepDirectory(dir);

            SweepPlots.Write(sweep, state, spec);

            foreach (var png in new[] { sweep.ObjectivePlotPath, sweep.ParameterPlotPath("optimization.learning_rate") })
            {
                var bytes = File.ReadAllBytes(png);
                Assert.True(bytes.Length > 2000, $"{png}: {bytes.Length} bytes");
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
