using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Accept.Grains.Placement;

/// <summary>
/// Tells a <see cref="PreferCoordinatorPlacementAttribute"/> grain that it runs away from home: on a silo that
/// is no coordinator while a coordinator silo is alive. That happens when its coordinator died and it came back
/// on a worker (the only silos left), or when it was placed while the placing silo did not know a new
/// coordinator's metadata yet; the grain then moves (migrates, and placement takes it to a coordinator).
/// </summary>
public sealed class CoordinatorHome(ILocalSiloDetails local, IClusterMembershipService membership, ISiloMetadataCache metadata)
{
    /// <summary>How often a grain away from home looks again.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    public bool AwayFromHome() => !IsCoordinator(local.SiloAddress)
        && membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && IsCoordinator(m.SiloAddress));

    private bool IsCoordinator(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Role, out var role) && role == SiloMetadataKeys.CoordinatorRole;
}
