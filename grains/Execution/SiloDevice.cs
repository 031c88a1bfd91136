using Accept.Grains.Hosting;
using Accept.Training.Devices;
using static TorchSharp.torch;

namespace Accept.Grains.Execution;

/// <summary>
/// The device this silo trains on (<see cref="AcceptSiloOptions.Device"/>), resolved once while the silo
/// is configured, so a CUDA setting on a machine without CUDA stops the silo from starting instead of
/// failing every task later. The backbone, task sessions and received codebooks live here; the codebook
/// grain keeps its own math on the CPU (a few small tensors per update, arriving and leaving as bytes).
/// </summary>
public sealed class SiloDevice
{
    /// <summary>The setting's name in errors.</summary>
    public const string Setting = AcceptSiloOptions.Section + ":Device";

    public SiloDevice(AcceptSiloOptions options)
    {
        Name = options.Device;
        Device = DeviceSelection.Resolve(options.Device, Setting);
    }

    /// <summary>The setting as given (also the silo's <c>accept.device</c> metadata).</summary>
    public string Name { get; }

    public Device Device { get; }
}
