using System.Net;
using System.Net.Sockets;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Accept.Training.T5;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accept.Client.Cluster;

/// <summary>
/// Several silos and a client in this process, on loopback with localhost clustering, each silo configured
/// by <see cref="AcceptSiloBuilder"/> exactly as the silo host configures itself. What `accept demo` and
/// `accept train` without cluster settings run on. Its gateway is reachable from other processes on this
/// machine, so `accept status --gateway` works against it while it runs.
/// </summary>
public sealed class EmbeddedCluster : IClusterSession
{
    private readonly List<IHost> _silos;
    private readonly IHost _client;

    private EmbeddedCluster(List<IHost> silos, IHost client, AcceptClusterOptions cluster, IReadOnlyList<string> siloNames)
    {
        _silos = silos;
        _client = client;
        Cluster = cluster;
        SiloNames = siloNames;
        Client = client.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>The client-side settings of this cluster: its ids and the first silo's gateway port.</summary>
    public AcceptClusterOptions Cluster { get; }

    public IReadOnlyList<string> SiloNames { get; }

    public string Description =>
        $"embedded cluster of {SiloNames.Count} worker silos ({string.Join(", ", SiloNames)}); from another terminal: accept status --gateway 127.0.0.1:{Cluster.GatewayPort} --cluster-id {Cluster.ClusterId}";

    /// <summary>The silo hosts, for tests that inspect their services.</summary>
    public IReadOnlyList<IHost> Silos => _silos;

    public static async Task<EmbeddedCluster> StartAsync(EmbeddedClusterOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Silos < 1)
        {
            throw new ArgumentException($"An embedded cluster needs at least one silo, not {options.Silos}.", nameof(options));
        }
        // The silos' steps run in this process: libtorch must not spin between kernels (see TorchThreads).
        TorchThreads.PreferPassiveWaiting();
        // A fresh id per cluster: two embedded clusters on one machine never join each other.
        var clusterId = $"embedded-{Guid.NewGuid():N}"[..21];
        var primaryPort = FreePort();
        var silos = new List<IHost>();
        var names = new List<string>();
        AcceptClusterOptions? first = null;
        try
        {
            for (var i = 0; i < options.Silos; i++)
            {
                var cluster = new AcceptClusterOptions
                {
                    ClusterId = clusterId,
                    ServiceId = clusterId,
                    SiloPort = i == 0 ? primaryPort : FreePort(),
                    GatewayPort = FreePort(),
                    PrimarySiloPort = i == 0 ? 0 : primaryPort,
                };
                var name = $"silo-{i + 1}";
                var settings = new AcceptSiloSettings(
                    cluster,
                    new AcceptSiloOptions
                    {
                        Name = name,
                        Role = SiloMetadataKeys.WorkerRole,
                        TorchThreads = options.ResolvedTorchThreads,
                        Slots = options.SlotsPerSilo,
                        AggregationWindowMs = options.AggregationWindowMs ?? new AcceptSiloOptions().AggregationWindowMs,
                    },
                    new CheckpointStoreOptions { Kind = CheckpointStoreKind.Directory, Root = Path.GetFullPath(options.CheckpointRoot) });
                var silo = new HostBuilder().UseOrleans(s => AcceptSiloBuilder.Configure(s, settings)).Build();
                silos.Add(silo);
                await silo.StartAsync(cancellationToken);
                names.Add(name);
                first ??= cluster;
            }
            var client = new HostBuilder().UseOrleansClient(c => AcceptClientBuilder.Configure(c, first!)).Build();
            try
            {
                await client.StartAsync(cancellationToken);
            }
            catch
            {
                await DisposeHostAsync(client);
                throw;
            }
            return new EmbeddedCluster(silos, client, first!, names);
        }
        catch
        {
            await StopAllAsync(silos);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await DisposeHostAsync(_client);
            await StopAllAsync(_silos);
        }
    }

    /// <summary>Non-primary silos first, so the primary still answers membership while the others leave.</summary>
    private static async Task StopAllAsync(List<IHost> silos)
    {
        for (var i = silos.Count - 1; i >= 0; i--)
        {
            try
            {
                await silos[i].StopAsync(TimeSpan.FromSeconds(15));
            }
            finally
            {
                await DisposeHostAsync(silos[i]);
            }
        }
    }

    /// <summary>
    /// Asynchronously: a host's synchronous Dispose blocks on the Orleans services that only dispose asynchronously
    /// (seen as a bench that threw while its embedded cluster ran never exiting).
    /// </summary>
    private static ValueTask DisposeHostAsync(IHost host)
    {
        if (host is IAsyncDisposable asyncHost) return asyncHost.DisposeAsync();
        host.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on now (for the embedded and benchmark silos).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
