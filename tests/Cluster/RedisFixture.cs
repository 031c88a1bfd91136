namespace Accept.Tests.Cluster;

/// <summary>
/// A Redis for clustering tests: ACCEPT_TEST_REDIS when .ci/run started one, otherwise a redis-server this
/// fixture starts on a free loopback port when the program is installed.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private BackgroundProcess? _server;

    /// <summary>host:port, or null with <see cref="Unavailable"/> saying why.</summary>
    public string? Endpoint { get; private set; }

    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        Endpoint = Environment.GetEnvironmentVariable("ACCEPT_TEST_REDIS");
        if (!string.IsNullOrEmpty(Endpoint))
        {
            return;
        }
        var program = TestEnvironment.FindOnPath("redis-server");
        if (program is null)
        {
            Unavailable = "Redis is not running (ACCEPT_TEST_REDIS unset) and redis-server is not on PATH";
            return;
        }
        var port = TestEnvironment.FreePort();
        _server = BackgroundProcess.Start(program, ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]);
        if (!await TestEnvironment.WaitForPortAsync(port, TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException($"redis-server did not listen on port {port}: {_server.Tail()}");
        }
        Endpoint = $"127.0.0.1:{port}";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
