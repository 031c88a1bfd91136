using Accept.GrainInterfaces.Diagnostics;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Accept.Grains.Diagnostics;

public class ProbeGrain(ILocalSiloDetails silo, ISiloMetadataCache metadata) : Grain, IProbeGrain
{
    public Task<SiloProbe> Where()
    {
        var declared = metadata.GetSiloMetadata(silo.SiloAddress).Metadata;
        return Task.FromResult(new SiloProbe(
            silo.SiloAddress.ToParsableString(),
            silo.Name,
            declared.GetValueOrDefault(SiloMetadataKeys.Role, ""),
            declared.GetValueOrDefault(SiloMetadataKeys.Device, "")));
    }

    public Task<TensorPayload> Echo(TensorPayload payload) => Task.FromResult(payload);
}
