using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Accept.Grains.Placement;

/// <summary>Keeps the coordinator silos when the cluster has any; otherwise every silo (a cluster of workers only).</summary>
internal sealed class CoordinatorPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var all = silos.ToList();
        var coordinators = all.Where(silo =>
            metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Role, out var role)
            && role == SiloMetadataKeys.CoordinatorRole).ToList();
        return coordinators.Count > 0 ? coordinators : all;
    }
}
