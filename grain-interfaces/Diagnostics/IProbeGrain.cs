using Accept.GrainInterfaces.Tensors;

namespace Accept.GrainInterfaces.Diagnostics;

/// <summary>Operators' and tests' view of the cluster: any key; activated wherever Orleans places it.</summary>
[Alias("accept.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("Where")]
    Task<SiloProbe> Where();

    /// <summary>Returns the payload as received: checks that tensors cross the wire intact.</summary>
    [Alias("Echo")]
    Task<TensorPayload> Echo(TensorPayload payload);
}
