using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Accept.Grains.Placement;

/// <summary>Keeps only the silos that declared accept.role=worker; silos without metadata are not workers.</summary>
internal sealed class WorkerPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(silo =>
            metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Role, out var role)
            && role == SiloMetadataKeys.WorkerRole);
}
