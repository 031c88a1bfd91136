namespace Accept.Tests.Cluster;

/// <summary>A real silo process (silo/bin/…/Accept.Silo.dll) configured only through environment variables, as an operator would.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private SiloProcess(BackgroundProcess process, int httpPort, int siloPort)
    {
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public string BaseAddress => $"http://127.0.0.1:{HttpPort}";

    /// <summary>The silo's build output next to this test assembly's configuration (Debug or Release).</summary>
    public static string SiloAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(TestEnvironment.RepositoryRoot, "silo", "bin", configuration, "net10.0", "Accept.Silo.dll");
        }
    }

    /// <summary>
    /// The settings every test silo of a Redis-clustered, loopback-only cluster shares (a free gateway port of its
    /// own, one libtorch thread); a test adds its own keys with a collection initializer.
    /// </summary>
    public static Dictionary<string, string> RedisSettings(string redis, string clusterId, string role, string? name = null) => new()
    {
        ["Accept__Cluster__Clustering"] = "Redis",
        ["Accept__Cluster__RedisConnectionString"] = redis,
        ["Accept__Cluster__ClusterId"] = clusterId,
        ["Accept__Cluster__ServiceId"] = clusterId,
        ["Accept__Cluster__AdvertisedAddress"] = "127.0.0.1",
        ["Accept__Cluster__GatewayPort"] = TestEnvironment.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Accept__Silo__Role"] = role,
        ["Accept__Silo__Name"] = name ?? role,
        ["Accept__Silo__TorchThreads"] = "1",
    };

    public static SiloProcess Start(IDictionary<string, string> settings, int siloPort)
    {
        var httpPort = TestEnvironment.FreePort();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Accept__Cluster__SiloPort"] = siloPort.ToString(),
        };
        var process = BackgroundProcess.Start("dotnet", [SiloAssembly], environment, Path.GetDirectoryName(SiloAssembly));
        return new SiloProcess(process, httpPort, siloPort);
    }

    /// <summary>Waits until /healthz answers 200; fails with the silo's output when it exits or times out.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Silo on port {SiloPort} exited:\n{_process.Tail()}");
            }
            try
            {
                using var response = await http.GetAsync($"{BaseAddress}/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Silo on port {SiloPort} was not healthy within {timeout}:\n{_process.Tail()}");
    }

    public string Output => _process.Tail();

    /// <summary>Everything the silo printed that is still kept (the last 5,000 lines).</summary>
    public string FullOutput => _process.Tail(int.MaxValue);

    /// <summary>The process itself, to wait for its exit or for a line of its output.</summary>
    public BackgroundProcess Process => _process;

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
