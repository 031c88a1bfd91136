using Accept.GrainInterfaces.Diagnostics;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Accept.Grains.Diagnostics;

[Placement.WorkerPlacement]
public sealed class WorkerProbeGrain(ILocalSiloDetails silo, ISiloMetadataCache metadata) : ProbeGrain(silo, metadata), IWorkerProbeGrain;
