using Accept.Tests.Cluster;

namespace Accept.Tests.Silo;

/// <summary>A real silo process started with a bad setting: one line naming the key, exit code 1, no stack trace (silo/Program).</summary>
[Trait("Category", "MultiProcess")]
public sealed class SiloSettingsStartTests
{
    [Theory]
    [InlineData("Accept__Silo__Slots", "0", "Accept:Silo:Slots is 0; expected at least 1.")]
    [InlineData("Accept__Silo__Slots", "many", "Accept:Silo:Slots")]
    [InlineData("Accept__Tls__Enabled", "true", "Accept:Tls:Enabled is true but")]
    public async Task A_bad_setting_stops_the_silo_with_one_line_naming_it(string key, string value, string expected)
    {
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        await using var silo = SiloProcess.Start(new Dictionary<string, string> { [key] = value, ["Accept__Silo__Role"] = "coordinator" }, TestEnvironment.FreePort());

        var code = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        var output = silo.Process.AllOutput;
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", output.Split('\n').Single(l => l.Contains(expected, StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }
}
