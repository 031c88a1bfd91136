using System.Diagnostics;
using Accept.Tests.Cluster;

namespace Accept.Tests.Checkpointing.Store;

/// <summary>
/// A Blob endpoint for tests: ACCEPT_TEST_AZURITE when .ci/run started Azurite, otherwise an Azurite this
/// fixture installs (npm, into .cache/ci/azurite) and starts on a free loopback port.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    // Two test classes use this fixture; xunit may start both at once, and two npm installs into one
    // prefix tear each other's node_modules.
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private BackgroundProcess? _azurite;
    private string? _dataDirectory;

    /// <summary>The connection string, or null with <see cref="Unavailable"/> saying why.</summary>
    public string? ConnectionString { get; private set; }

    public string? Unavailable { get; private set; }

    /// <summary>Only a missing npm may skip the Blob tests; any other failure to start Azurite fails them.</summary>
    public bool NpmMissing { get; private set; }

    public async Task InitializeAsync()
    {
        ConnectionString = Environment.GetEnvironmentVariable("ACCEPT_TEST_AZURITE");
        if (!string.IsNullOrEmpty(ConnectionString))
        {
            return;
        }
        var prefix = Path.Combine(TestEnvironment.RepositoryRoot, ".cache", "ci", "azurite");
        var executable = Path.Combine(prefix, "node_modules", ".bin", "azurite-blob");
        await InstallLock.WaitAsync();
        try
        {
            if (!await EnsureInstalled(prefix, executable))
            {
                return;
            }
        }
        finally
        {
            InstallLock.Release();
        }
        var port = TestEnvironment.FreePort();
        _dataDirectory = Directory.CreateTempSubdirectory("accept-azurite-").FullName;
        _azurite = BackgroundProcess.Start(executable,
            ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", _dataDirectory, "--disableTelemetry", "--skipApiVersionCheck", "--silent"]);
        if (!await TestEnvironment.WaitForPortAsync(port, TimeSpan.FromSeconds(30)))
        {
            Unavailable = $"Azurite did not listen on port {port}: {_azurite.Tail()}";
            return;
        }
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    /// <returns>False with <see cref="Unavailable"/> set when Azurite cannot be installed.</returns>
    private async Task<bool> EnsureInstalled(string prefix, string executable)
    {
        if (File.Exists(executable))
        {
            return true;
        }
        var npm = TestEnvironment.FindOnPath("npm");
        if (npm is null)
        {
            NpmMissing = true;
            Unavailable = "Azurite is not running (ACCEPT_TEST_AZURITE unset) and npm is not on PATH to install it";
            return false;
        }
        using var install = Process.Start(new ProcessStartInfo(npm, ["install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix, "azurite@3.35.0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = install.StandardError.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0 || !File.Exists(executable))
        {
            Unavailable = $"npm install azurite@3.35.0 failed ({install.ExitCode}): {await stderr}";
            return false;
        }
        return true;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
