using Accept.GrainInterfaces.Diagnostics;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Accept.Grains.Hosting.Tls;
using Accept.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Accept.Tests.Grains.Hosting.Tls;

/// <summary>
/// Two silos and clients on loopback with Accept:Tls on and a self-signed certificate made here: the silos
/// form a cluster over TLS and a client with the certificate talks to them; a client without TLS, or with a
/// certificate the silos do not trust, is refused.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class TlsClusterTests : IAsyncLifetime
{
    private const string Password = "tls-test-Pa55word";
    private readonly string _folder = Directory.CreateTempSubdirectory("accept-tls-cluster-").FullName;
    private readonly List<IHost> _silos = [];
    private AcceptClusterOptions _cluster = null!;
    private AcceptTlsOptions _tls = null!;

    public async Task InitializeAsync()
    {
        var pfx = Path.Combine(_folder, "cluster.pfx");
        TestCertificates.WritePfx(pfx, "accept-cluster", Password);
        _tls = new AcceptTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePassword = Password };
        var clusterId = $"tls-{Guid.NewGuid():N}"[..16];
        var primary = TestEnvironment.FreePort();
        for (var i = 0; i < 2; i++)
        {
            var cluster = new AcceptClusterOptions
            {
                ClusterId = clusterId, ServiceId = clusterId,
                SiloPort = i == 0 ? primary : TestEnvironment.FreePort(), GatewayPort = TestEnvironment.FreePort(), PrimarySiloPort = i == 0 ? 0 : primary,
            };
            _cluster = i == 0 ? cluster : _cluster;
            var settings = new AcceptSiloSettings(cluster,
                new AcceptSiloOptions { Name = $"tls-{i + 1}", Role = SiloMetadataKeys.WorkerRole, TorchThreads = 1 },
                new CheckpointStoreOptions { Root = Path.Combine(_folder, "checkpoints") });
            var silo = new HostBuilder().UseOrleans(s => AcceptTls.ConfigureSilo(AcceptSiloBuilder.Configure(s, settings), _tls)).Build();
            _silos.Add(silo);
            await silo.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].StopAsync(TimeSpan.FromSeconds(15));
            _silos[i].Dispose();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Silos_and_a_client_with_the_certificate_talk_and_clients_without_it_are_refused()
    {
        // Silo to silo: both silos joined each other through the TLS silo port.
        await using (var client = await ConnectAsync(_tls))
        {
            var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await management.GetHosts(onlyActive: true)).Count < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
            var probe = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IProbeGrain>("tls").Where();
            Assert.StartsWith("tls-", probe.SiloName);
        }

        Assert.False(await TalksAsync(new AcceptTlsOptions { Enabled = false }), "a client without TLS reached a TLS gateway");
        var stranger = Path.Combine(_folder, "stranger.pfx");
        TestCertificates.WritePfx(stranger, "not-the-cluster", Password);
        Assert.False(await TalksAsync(new AcceptTlsOptions { Enabled = true, CertificatePath = stranger, CertificatePassword = Password }),
            "a client with an untrusted certificate reached the gateway");
    }

    private async Task<bool> TalksAsync(AcceptTlsOptions tls)
    {
        try
        {
            await using var client = await ConnectAsync(tls);
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<IProbeGrain>("refused").Where().WaitAsync(TimeSpan.FromSeconds(20));
            return true;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InvalidProgramException))
        {
            return false;
        }
    }

    private async Task<AsyncHost> ConnectAsync(AcceptTlsOptions tls)
    {
        var host = new HostBuilder().UseOrleansClient(c => AcceptTls.ConfigureClient(AcceptClientBuilder.Configure(c, _cluster), tls)).Build();
        try
        {
            await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(40));
            return new AsyncHost(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private sealed class AsyncHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(5));
            }
            finally
            {
                host.Dispose();
            }
        }
    }
}
