using Accept.Tests.Cluster;

namespace Accept.Tests.Silo.Hosting;

/// <summary>Real silo processes started with bad settings (silo/Hosting/SiloSettingsError): one line naming the key, exit code 2, no stack trace.</summary>
[Trait("Category", "MultiProcess")]
public sealed class SiloSettingsErrorTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        // A TLS certificate that is not there (issue 11: it stopped the silo with a stack trace).
        { "Accept__Tls__CertificatePath", "/nonexistent/accept-node.pfx", "error: silo settings: Accept:Tls:CertificatePath '/nonexistent/accept-node.pfx' does not exist; expected a PKCS#12 (.pfx) file." },
        // A value that does not bind to the key's type.
        { "Accept__Cluster__GatewayPort", "not-a-port", "error: silo settings: Failed to convert configuration value 'not-a-port' at 'Accept:Cluster:GatewayPort' to type 'System.Int32'." },
        // A value out of range.
        { "Accept__Silo__Role", "boss", "error: silo settings: Accept:Silo:Role is 'boss'; expected 'worker' or 'coordinator'." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_silo_with_one_line_naming_it_and_exit_code_2(string key, string value, string expected)
    {
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        var settings = new Dictionary<string, string>
        {
            ["Accept__Cluster__ClusterId"] = $"settings-{Guid.NewGuid():N}"[..16],
            ["Accept__Cluster__GatewayPort"] = TestEnvironment.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Accept__Silo__Role"] = "coordinator",
            ["Accept__Tls__Enabled"] = "true",
            ["Accept__Tls__CertificatePath"] = "/nonexistent/accept-node.pfx",
            ["Accept__Checkpoints__Root"] = Path.Combine(Path.GetTempPath(), "accept-silo-settings"),
        };
        if (key != "Accept__Tls__CertificatePath")
        {
            settings.Remove("Accept__Tls__Enabled");
        }
        settings[key] = value;
        await using var silo = SiloProcess.Start(settings, TestEnvironment.FreePort());

        var code = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));

        var lines = silo.Process.AllOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, code);
        Assert.Equal([expected], lines);
    }

    [Fact]
    public async Task A_silo_port_held_by_another_process_is_one_closing_line_naming_the_ports_and_exit_code_2()
    {
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var held = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var gateway = TestEnvironment.FreePort();
        await using var silo = SiloProcess.Start(new Dictionary<string, string>
        {
            ["Accept__Cluster__ClusterId"] = $"settings-{Guid.NewGuid():N}"[..16],
            ["Accept__Cluster__GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Accept__Silo__Role"] = "coordinator",
            ["Accept__Checkpoints__Root"] = Path.Combine(Path.GetTempPath(), "accept-silo-settings"),
        }, held);

        var code = await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(120));

        var lines = silo.Process.AllOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, code);
        Assert.Equal($"error: silo settings: a port this silo listens on is already in use: Accept:Cluster:SiloPort {held}, " +
            $"Accept:Cluster:GatewayPort {gateway} or the HTTP endpoint (ASPNETCORE_URLS); expected free ports.", lines[^1]);
        Assert.DoesNotContain("Unhandled exception", silo.Process.AllOutput);
    }
}
