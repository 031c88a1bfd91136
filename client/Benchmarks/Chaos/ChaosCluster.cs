using System.Globalization;
using Accept.Grains.Diagnostics;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// One run's machines, all on 127.0.0.1: Redis for membership (append-only file, so a restart keeps the
/// table), a coordinator silo and two worker silos as processes of the `Accept.Silo.dll` beside this
/// `accept`, with fast membership probes and the push journal on.
/// </summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    private readonly string _work;
    private readonly ChaosPorts _ports;
    private readonly int _redisPort;
    private readonly List<ChaosProcess> _retired = [];
    private readonly Dictionary<string, int> _httpPorts = [];

    private ChaosCluster(string work, ChaosPorts ports, string clusterId, int redisPort)
    {
        _work = work;
        _ports = ports;
        ClusterId = clusterId;
        _redisPort = redisPort;
        CheckpointRoot = Path.Combine(work, "checkpoints");
        Directory.CreateDirectory(CheckpointRoot);
    }

    public string ClusterId { get; }

    public string Redis => $"127.0.0.1:{_redisPort}";

    public string CheckpointRoot { get; }

    public ChaosProcess RedisProcess { get; private set; } = null!;

    public ChaosProcess Coordinator { get; private set; } = null!;

    public IReadOnlyList<ChaosProcess> Workers { get; private set; } = [];

    public IEnumerable<ChaosProcess> Silos => [Coordinator, .. Workers];

    /// <summary>Every process this cluster ran, the replaced ones too, for the logs the figures come from.</summary>
    public IEnumerable<ChaosProcess> AllProcesses => [.. _retired, RedisProcess, .. Silos];

    public static async Task<ChaosCluster> StartAsync(string work, ChaosPorts ports, Action<string> progress, CancellationToken cancel)
    {
        var cluster = new ChaosCluster(work, ports, $"chaos-{Guid.NewGuid():N}"[..18], ports.Next());
        try
        {
            await cluster.StartRedisAsync(cancel);
            cluster.Coordinator = cluster.StartSilo("coordinator", "coordinator");
            cluster.Workers = [cluster.StartSilo("worker-1", "worker"), cluster.StartSilo("worker-2", "worker")];
            progress($"cluster {cluster.ClusterId}: redis {cluster.Redis}, coordinator and 2 workers starting");
            await Task.WhenAll(cluster.Silos.Select(s => cluster.WaitHealthyAsync(s, TimeSpan.FromSeconds(120), cancel)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops Redis (SIGTERM: it writes its append-only file), keeping the process for its log.</summary>
    public async Task StopRedisAsync(CancellationToken cancel)
    {
        RedisProcess.Terminate();
        await RedisProcess.WaitForExitAsync(TimeSpan.FromSeconds(15), cancel);
        _retired.Add(RedisProcess);
    }

    public Task StartRedisAsync(CancellationToken cancel)
    {
        var program = FindOnPath("redis-server") ?? throw new InvalidOperationException("redis-server is not on PATH; `accept bench chaos` runs its own Redis for membership.");
        var data = Path.Combine(_work, "redis");
        Directory.CreateDirectory(data);
        RedisProcess = ChaosProcess.Start("redis", program,
            ["--port", _redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", data, "--daemonize", "no"],
            new Dictionary<string, string>(), data);
        return WaitForLineAsync(RedisProcess, "Ready to accept connections", TimeSpan.FromSeconds(20), cancel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in AllProcesses.Where(p => p is not null).Reverse())
        {
            await process.DisposeAsync();
        }
    }

    private ChaosProcess StartSilo(string name, string role)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Accept.Silo.dll");
        if (!File.Exists(silo))
        {
            throw new InvalidOperationException($"{silo} is missing: build the client (it carries the silo).");
        }
        var environment = new Dictionary<string, string>
        {
            ["Accept__Cluster__Clustering"] = "Redis",
            ["Accept__Cluster__RedisConnectionString"] = Redis,
            ["Accept__Cluster__ClusterId"] = ClusterId,
            ["Accept__Cluster__ServiceId"] = ClusterId,
            ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Accept__Cluster__SiloPort"] = _ports.Next().ToString(CultureInfo.InvariantCulture),
            ["Accept__Cluster__GatewayPort"] = _ports.Next().ToString(CultureInfo.InvariantCulture),
            // Fast failure detection: a dead silo is declared dead in a few seconds.
            ["Accept__Cluster__ProbeTimeoutSeconds"] = "1",
            ["Accept__Cluster__NumMissedProbesLimit"] = "2",
            ["Accept__Cluster__NumVotesForDeathDeclaration"] = "1",
            ["Accept__Cluster__TableRefreshSeconds"] = "2",
            ["Accept__Silo__Role"] = role,
            ["Accept__Silo__Name"] = name,
            ["Accept__Silo__TorchThreads"] = "1",
            ["Accept__Silo__RoundTimeoutSeconds"] = "10",
            ["Accept__Silo__JobPollSeconds"] = "1",
            ["Accept__Checkpoints__Root"] = CheckpointRoot,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_httpPorts[name] = _ports.Next()}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Accept"] = "Information",
            [$"Logging__LogLevel__{typeof(PushJournalFilter).FullName}"] = "Debug",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        return ChaosProcess.Start(name, "dotnet", [silo], environment, _work);
    }

    /// <summary>The silo's /metrics and /healthz address.</summary>
    public string HttpAddress(ChaosProcess silo) => $"http://127.0.0.1:{_httpPorts[silo.Name]}";

    private async Task WaitHealthyAsync(ChaosProcess silo, TimeSpan timeout, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (silo.HasExited)
            {
                throw new InvalidOperationException($"{silo.Name} exited (code {silo.ExitCode}) while starting:\n{silo.Tail()}");
            }
            try
            {
                using var response = await http.GetAsync($"{HttpAddress(silo)}/healthz", cancel);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{silo.Name} was not healthy within {timeout.TotalSeconds:F0} s:\n{silo.Tail()}");
            }
            await Task.Delay(250, cancel);
        }
    }

    /// <summary>Waits until <paramref name="process"/> printed a line containing <paramref name="text"/>; throws with its output when it exits first.</summary>
    public static async Task WaitForLineAsync(ChaosProcess process, string text, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!process.Lines.Any(l => l.Text.Contains(text, StringComparison.Ordinal)))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited (code {process.ExitCode}) before printing '{text}':\n{process.Tail()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{process.Name} did not print '{text}' within {timeout.TotalSeconds:F0} s:\n{process.Tail()}");
            }
            await Task.Delay(100, cancel);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
