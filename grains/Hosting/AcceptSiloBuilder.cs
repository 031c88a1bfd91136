using System.Net;
using Accept.Grains.Checkpoints;
using Accept.Grains.Diagnostics;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Execution;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.T5;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using StackExchange.Redis;

namespace Accept.Grains.Hosting;

/// <summary>
/// The one silo configuration: the silo host, the client's embedded cluster and the tests all call
/// <see cref="Configure"/>, so they cannot drift apart.
/// </summary>
public static class AcceptSiloBuilder
{
    public static ISiloBuilder Configure(ISiloBuilder silo, AcceptSiloSettings settings)
    {
        settings.Validate();
        var cluster = settings.Cluster;
        if (cluster.Clustering == ClusteringKind.Redis)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            silo.UseRedisClustering(cluster.ResolveRedisConnectionString());
            if (cluster.AdvertisedAddress.Length > 0)
            {
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            }
        }
        else
        {
            var primary = cluster.PrimarySiloPort > 0 ? new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort) : null;
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
        }
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Unset keys keep Orleans' defaults; short values let a killed silo be declared dead sooner.
            o.ProbeTimeout = cluster.ProbeTimeoutSeconds is { } probe ? TimeSpan.FromSeconds(probe) : o.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit ?? o.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = cluster.NumVotesForDeathDeclaration ?? o.NumVotesForDeathDeclaration;
            o.TableRefreshTimeout = cluster.TableRefreshSeconds is { } refresh ? TimeSpan.FromSeconds(refresh) : o.TableRefreshTimeout;
        });
        if (settings.Silo.Name.Length > 0)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = settings.Silo.Name);
        }
        return ConfigureRuntime(silo, settings);
    }

    /// <summary>
    /// Everything but clustering and endpoints: metadata, placement, checkpoints, metrics, and reminders when the
    /// cluster options name Redis clustering. Test clusters, which bring their own membership, call this part alone.
    /// </summary>
    public static ISiloBuilder ConfigureRuntime(ISiloBuilder silo, AcceptSiloSettings settings)
    {
        SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, settings.Silo);
        // Before anything loads libtorch: OpenMP reads its wait policy once.
        TorchThreads.PreferPassiveWaiting();
        // Throws now, failing the silo's start, when Accept:Silo:Device asks for CUDA that is not there.
        silo.Services.AddSingleton(new SiloDevice(settings.Silo));
        silo.UseSiloMetadata(settings.Silo.ToMetadata());
        silo.Services.AddWorkerPlacement();
        silo.AddIncomingGrainCallFilter<PushJournalFilter>();
        silo.AddOutgoingGrainCallFilter<PushJournalFilter>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MembershipJournal>();
        SettingsOptions.Add(silo.Services, settings.Silo, AcceptSiloOptionsValidator.Instance);
        silo.Services.AddSingleton(Options.Create(settings.Checkpoints));
        silo.Services.AddSingleton(sp => CheckpointStoreFactory.Create(sp.GetRequiredService<IOptions<CheckpointStoreOptions>>().Value));
        silo.Services.AddSingleton<StepWorker>();
        silo.Services.AddSingleton<BackboneCache>();
        silo.Services.AddSingleton<TaskSessionHost>();
        silo.Services.AddSingleton<Aggregation.SiloAggregator>();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<AcceptMetrics>();
        return UseReminders(silo, settings);
    }

    /// <summary>
    /// The reminders that wake a running sweep after its silo died (<see cref="AcceptSiloOptions.SweepWakeUpSeconds"/>),
    /// kept in Redis with Redis clustering, so they outlive any silo. Localhost clustering (the embedded cluster) has
    /// none: its silos share one process, so a sweep there ends with the process and `accept sweep --resume` continues it.
    /// </summary>
    private static ISiloBuilder UseReminders(ISiloBuilder silo, AcceptSiloSettings settings)
    {
        if (settings.Cluster.Clustering != ClusteringKind.Redis) return silo;
        var redis = settings.Cluster.ResolveRedisConnectionString();
        silo.UseRedisReminderService(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        var wakeUp = TimeSpan.FromSeconds(settings.Silo.SweepWakeUpSeconds);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = wakeUp < o.MinimumReminderPeriod ? wakeUp : o.MinimumReminderPeriod);
        return silo;
    }
}
