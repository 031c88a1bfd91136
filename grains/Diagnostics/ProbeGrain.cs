using Accept.GrainInterfaces.Diagnostics;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Accept.Grains.Diagnostics;

/// <summary>
/// Answers where it runs. Random placement: Orleans' default (resource-optimised) placement may keep every probe on one
/// idle silo, and a probe is there to show that grains without the worker filter can land on any silo.
/// </summary>
[Orleans.Placement.RandomPlacement]
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
