using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Hosting;
using Accept.Grains.Placement;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Accept.Tests.Grains;

/// <summary>
/// Test-cluster silos with the project's runtime: "Primary" is a coordinator, the rest are workers. The
/// cluster's properties give the checkpoint root and the short timeouts tests need.
/// </summary>
public sealed class GrainSiloConfigurator : ISiloConfigurator
{
    public const string CheckpointRoot = "AcceptTest:CheckpointRoot";
    public const string RoundTimeoutSeconds = "AcceptTest:RoundTimeoutSeconds";
    public const string BlobConnectionString = "AcceptTest:BlobConnectionString";
    public const string BlobContainer = "AcceptTest:BlobContainer";
    public const string FastFailureDetection = "AcceptTest:FastFailureDetection";
    public const string PushWaitSeconds = "AcceptTest:PushWaitSeconds";
    public const string Coordinators = "AcceptTest:Coordinators";
    public const string ReminderRedis = "AcceptTest:ReminderRedis";
    public const string AggregationWindowMs = "AcceptTest:AggregationWindowMs";

    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        var name = configuration["Orleans:Name"] ?? throw new InvalidOperationException("The test cluster gave the silo no Orleans:Name.");
        var root = configuration[CheckpointRoot] ?? throw new InvalidOperationException($"The test cluster sets no {CheckpointRoot}.");
        // The test cluster brings its own membership; the cluster options only choose where reminders live.
        var settings = new AcceptSiloSettings(
            configuration[ReminderRedis] is { Length: > 0 } redis
                ? new AcceptClusterOptions { Clustering = ClusteringKind.Redis, RedisConnectionString = redis }
                : new AcceptClusterOptions(),
            new AcceptSiloOptions
            {
                Role = IsCoordinator(name, configuration[Coordinators]) ? SiloMetadataKeys.CoordinatorRole : SiloMetadataKeys.WorkerRole,
                PushWaitSeconds = double.Parse(configuration[PushWaitSeconds] ?? "10", System.Globalization.CultureInfo.InvariantCulture),
                RoundTimeoutSeconds = double.Parse(configuration[RoundTimeoutSeconds] ?? "30", System.Globalization.CultureInfo.InvariantCulture),
                JobPollSeconds = 0.25,
                SweepWakeUpSeconds = 2,
                AggregationWindowMs = double.Parse(configuration[AggregationWindowMs] ?? "2", System.Globalization.CultureInfo.InvariantCulture),
            },
            configuration[BlobConnectionString] is { Length: > 0 } blob
                ? new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, ConnectionString = blob, Container = configuration[BlobContainer]! }
                : new CheckpointStoreOptions { Root = root });
        AcceptSiloBuilder.ConfigureRuntime(siloBuilder, settings);
        if (configuration[FastFailureDetection] == "true")
        {
            // An ungracefully stopped silo still tries to mark itself dead in the membership table; when that
            // write does not get through, the survivors must notice by probing. Orleans' defaults (5 s probes,
            // 3 misses, 2 votes, a 60 s table refresh) take about a minute; these take a few seconds.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.MaxProbeTimeout = TimeSpan.FromSeconds(4);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    /// <summary>"Primary", and with <paramref name="coordinators"/> = 2 also "Secondary_1", are coordinators; with "secondary" only "Secondary_1" is.</summary>
    private static bool IsCoordinator(string name, string? coordinators) => coordinators == SecondaryCoordinator
        ? name == "Secondary_1"
        : name == "Primary" || (coordinators == "2" && name == "Secondary_1");

    private const string SecondaryCoordinator = "secondary";

    /// <summary>A cluster of <paramref name="coordinators"/> coordinators and <paramref name="workers"/> workers checkpointing under <paramref name="root"/>, or to <paramref name="blob"/>.</summary>
    /// <param name="fastFailureDetection">Short membership probes, so a killed silo is declared dead within seconds.</param>
    /// <param name="pushWaitSeconds">How long a sync push waits for its round before the codebook grain answers "pending".</param>
    /// <param name="reminderRedis">Keep reminders in this Redis (host:port), as a Redis-clustered silo does, instead of in memory.</param>
    /// <param name="aggregationWindowMs">How long a silo's aggregator collects its tasks' gradients before sending them as one batch.</param>
    /// <param name="primaryIsWorker">With one coordinator: "Primary" is a worker and "Secondary_1" the coordinator, so the
    /// only coordinator can be killed (the primary holds the test cluster's membership and must live).</param>
    public static TestCluster Build(string root, int workers = 2, double roundTimeoutSeconds = 30, (string ConnectionString, string Container)? blob = null,
        bool fastFailureDetection = false, double pushWaitSeconds = 10, int coordinators = 1, string? reminderRedis = null, bool primaryIsWorker = false,
        double aggregationWindowMs = 2)
    {
        if (primaryIsWorker && coordinators != 1) throw new ArgumentException("primaryIsWorker needs exactly one coordinator", nameof(primaryIsWorker));
        var builder = new TestClusterBuilder((short)(workers + coordinators));
        builder.Properties[PushWaitSeconds] = pushWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[AggregationWindowMs] = aggregationWindowMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[Coordinators] = primaryIsWorker ? SecondaryCoordinator : coordinators.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fastFailureDetection)
        {
            builder.Properties[FastFailureDetection] = "true";
        }
        if (blob is { } b)
        {
            builder.Properties[BlobConnectionString] = b.ConnectionString;
            builder.Properties[BlobContainer] = b.Container;
        }
        builder.Properties[CheckpointRoot] = root;
        if (reminderRedis is not null)
        {
            builder.Properties[ReminderRedis] = reminderRedis;
        }
        builder.Properties[RoundTimeoutSeconds] = roundTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<GrainSiloConfigurator>();
        return builder.Build();
    }
}
