using System.Text;
using Accept.Tests.Checkpointing.Store;
using Accept.Tests.Client;
using Accept.Tests.Cluster;
using Accept.Tests.Grains.Hosting.Tls;
using Azure.Storage.Blobs;

namespace Accept.Tests.MultiProcess;

/// <summary>
/// Secrets never leak: a coordinator and a worker silo process with TLS (certificate password from a setting
/// and from a file) and Blob checkpoints on Azurite, a client process with TLS (password from the environment)
/// training a spec; then every log line, every file of the run directory, `accept status` output and both
/// /metrics scrapes are searched for the Blob connection string, its account key and the TLS password.
/// </summary>
[Trait("Category", "MultiProcess")]
public sealed class SecretsTests(RedisFixture redis, AzuriteFixture azurite) : IClassFixture<RedisFixture>, IClassFixture<AzuriteFixture>
{
    private const int Steps = 4;
    private const string Password = "Tls-Pa55word-that-must-not-leak";

    [SkippableFact]
    public async Task No_log_run_directory_status_output_or_metrics_scrape_contains_a_secret()
    {
        if (redis.Endpoint is null) TestEnvironment.SkipOrFail(redis.Unavailable!);
        if (azurite.ConnectionString is null)
        {
            if (azurite.NpmMissing) TestEnvironment.SkipOrFail(azurite.Unavailable!);
            throw new InvalidOperationException(azurite.Unavailable);
        }
        Assert.True(File.Exists(SiloProcess.SiloAssembly), $"Build the silo first: {SiloProcess.SiloAssembly} is missing.");
        using var run = new TinyRun(Steps, evalEvery: 2);
        File.WriteAllText(run.Spec, File.ReadAllText(run.Spec).Replace("\"checkpoint_every\": 0", "\"checkpoint_every\": 2", StringComparison.Ordinal));
        var pfx = Path.Combine(run.Root, "cluster.pfx");
        TestCertificates.WritePfx(pfx, "accept-secrets-test", Password);
        var passwordFile = Path.Combine(run.Root, "tls-password");
        File.WriteAllText(passwordFile, Password);
        var connectionString = azurite.ConnectionString!;
        var accountKey = connectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];
        var container = $"secrets-{Guid.NewGuid():N}"[..20];
        var clusterId = $"sec-{Guid.NewGuid():N}"[..16];
        Dictionary<string, string> Settings(string role) => new(SiloProcess.RedisSettings(redis.Endpoint!, clusterId, role))
        {
            ["Accept__Checkpoints__Kind"] = "Blob",
            ["Accept__Checkpoints__Container"] = container,
            ["Accept__Checkpoints__ConnectionString"] = connectionString,
            ["Accept__Tls__Enabled"] = "true",
            ["Accept__Tls__CertificatePath"] = pfx,
            // Everything Orleans and the project log at Information and above: configuration dumps included.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Accept"] = "Debug",
        };
        var coordinatorSettings = Settings("coordinator");
        coordinatorSettings["Accept__Tls__CertificatePassword"] = Password;
        var workerSettings = Settings("worker");
        workerSettings["Accept__Tls__CertificatePasswordFile"] = passwordFile;

        await using var coordinator = SiloProcess.Start(coordinatorSettings, TestEnvironment.FreePort());
        await using var worker = SiloProcess.Start(workerSettings, TestEnvironment.FreePort());
        await Task.WhenAll(coordinator.WaitHealthyAsync(TimeSpan.FromSeconds(90)), worker.WaitHealthyAsync(TimeSpan.FromSeconds(90)));

        var client = new Dictionary<string, string>
        {
            ["ACCEPT_STATE_DIR"] = run.Root,
            ["Accept__Tls__Enabled"] = "true",
            ["Accept__Tls__CertificatePath"] = pfx,
            ["ACCEPT_TLS_CERTIFICATE_PASSWORD"] = Password,
        };
        var train = await AcceptProcess.RunAsync(client, TimeSpan.FromMinutes(4),
            "train", "--spec", run.Spec, "--runs-dir", run.Runs, "--redis", redis.Endpoint!, "--cluster-id", clusterId);
        Assert.True(train.Code == 0, $"exit {train.Code}\n{train.Out}\n{train.Err}\ncoordinator:\n{coordinator.Output}\nworker:\n{worker.Output}");
        var directory = AcceptProcess.LastLine(train.Out);
        RunAssertions.AssertCompleted(directory, TinyRun.TaskNames, Steps);
        var job = Path.GetFileName(directory).ToLowerInvariant();
        var status = await AcceptProcess.RunAsync(client, TimeSpan.FromMinutes(1), "status", "--redis", redis.Endpoint!, "--cluster-id", clusterId, "--job", job);
        Assert.True(status.Code == 0, $"status exit {status.Code}\n{status.Out}\n{status.Err}");
        using var http = new HttpClient();
        var sources = new Dictionary<string, byte[]>
        {
            ["coordinator log"] = Encoding.UTF8.GetBytes(coordinator.FullOutput),
            ["worker log"] = Encoding.UTF8.GetBytes(worker.FullOutput),
            ["train output"] = Encoding.UTF8.GetBytes(train.Out + train.Err),
            ["status output"] = Encoding.UTF8.GetBytes(status.Out + status.Err),
            ["coordinator /metrics"] = await http.GetByteArrayAsync($"{coordinator.BaseAddress}/metrics"),
            ["worker /metrics"] = await http.GetByteArrayAsync($"{worker.BaseAddress}/metrics"),
        };
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            sources[Path.GetRelativePath(directory, file)] = File.ReadAllBytes(file);
        }

        // The checkpoints really went to the Blob store, and the logs are not empty.
        var blobs = new BlobContainerClient(connectionString, container).GetBlobs().Select(b => b.Name).ToList();
        Assert.NotEmpty(blobs);
        Assert.Contains("Silo role", coordinator.FullOutput);
        Assert.Contains("metrics.jsonl", sources.Keys);
        foreach (var (secretName, secret) in new[] { ("Blob connection string", connectionString), ("account key", accountKey), ("TLS password", Password) })
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            foreach (var (source, content) in sources)
            {
                Assert.False(content.AsSpan().IndexOf(bytes) >= 0, $"the {secretName} appears in {source}");
            }
        }
    }
}
