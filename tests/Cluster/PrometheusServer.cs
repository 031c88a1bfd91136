using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Accept.Tests.Cluster;

/// <summary>
/// A real Prometheus (the Debian package) on a free loopback port, scraping the given targets every second,
/// with its storage in a temporary folder; queries go through its HTTP API.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly string _root;
    private readonly HttpClient _http;

    private PrometheusServer(BackgroundProcess process, string root, int port)
    {
        _process = process;
        _root = root;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (host:port) every second; null when it is not installed.</summary>
    public static async Task<PrometheusServer?> StartAsync(IEnumerable<string> targets, TimeSpan timeout)
    {
        var program = TestEnvironment.FindOnPath("prometheus");
        if (program is null)
        {
            return null;
        }
        var root = Directory.CreateTempSubdirectory("accept-prometheus-").FullName;
        var config = Path.Combine(root, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: accept-silos
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = TestEnvironment.FreePort();
        var process = BackgroundProcess.Start(program,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(root, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]);
        var server = new PrometheusServer(process, root, port);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var ready = await server._http.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"Prometheus did not become ready within {timeout}:\n{process.Tail()}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>An instant query: the finite sample values it returns (empty when it returns no data).</summary>
    public async Task<IReadOnlyList<double>> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query '{promql}' failed: {body}");
        }
        var data = body.GetProperty("data");
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => data.GetProperty("result").EnumerateArray()
                .Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))
                .Where(double.IsFinite)
                .ToList(),
            "scalar" => [double.Parse(data.GetProperty("result")[1].GetString()!, CultureInfo.InvariantCulture)],
            var other => throw new InvalidOperationException($"query '{promql}' returned a {other}"),
        };
    }

    public string Output => _process.Tail();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
