using System.Globalization;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Accept.Training.Devices;

/// <summary>
/// The one place a device name from a flag or a setting becomes a libtorch device: <c>cpu</c>, <c>cuda</c>
/// (the first GPU) or <c>cuda:N</c>. CUDA asked for where libtorch has none fails here, when the run or
/// the silo starts, saying what to do, instead of at the first tensor moved.
/// </summary>
public static class DeviceSelection
{
    /// <summary>The names <see cref="Resolve"/> takes, for help texts and errors.</summary>
    public const string Names = "cpu, cuda or cuda:N";

    /// <summary>The libtorch this build links: "cpu" (libtorch-cpu-linux-x64) or "cuda" (TorchSharp-cuda-linux), from -p:AcceptDevice.</summary>
    public static string BuildDevice { get; } = typeof(DeviceSelection).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "AcceptDevice")?.Value ?? "cpu";

    /// <summary>
    /// The device <paramref name="name"/> stands for. Throws <see cref="ArgumentException"/> naming
    /// <paramref name="source"/> and the value when the name is not a device, and
    /// <see cref="InvalidOperationException"/> when CUDA is asked for but libtorch has no such device.
    /// </summary>
    /// <param name="source">Where the name came from (<c>--device</c>, <c>Accept:Silo:Device</c>), named in errors.</param>
    public static Device Resolve(string name, string source = "--device")
    {
        var (type, index) = Parse(name, source);
        if (type == DeviceType.CPU) return CPU;
        if (!cuda.is_available()) throw new InvalidOperationException(NoCuda(name, source));
        int count = cuda.device_count();
        if (index >= count)
            throw new InvalidOperationException($"{source} is '{name}' but libtorch sees {count} CUDA device(s), cuda:0 to cuda:{count - 1}");
        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>Checks the name's form without asking libtorch anything (settings validation).</summary>
    public static (DeviceType Type, int Index) Parse(string? name, string source = "--device")
    {
        var value = name?.Trim().ToLowerInvariant() ?? "";
        if (value == "cpu") return (DeviceType.CPU, -1);
        if (value == "cuda") return (DeviceType.CUDA, 0);
        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan("cuda:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return (DeviceType.CUDA, index);
        throw new ArgumentException($"{source} is '{name}'; expected {Names}");
    }

    /// <summary>True when both name the same device ("cuda" and "cuda:0" are the same GPU).</summary>
    public static bool Same(Device a, Device b) =>
        a.type == b.type && (a.type != DeviceType.CUDA || Math.Max(a.index, 0) == Math.Max(b.index, 0));

    /// <summary>Waits for the device's queued work (CUDA runs asynchronously), so a stopwatch measures it; nothing on the CPU.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    private static string NoCuda(string name, string source) => BuildDevice == "cuda"
        ? $"{source} is '{name}' but libtorch reports no CUDA device; this build has TorchSharp-cuda-linux, so the machine lacks a visible "
          + "NVIDIA GPU or driver (in Kubernetes, the pod must request nvidia.com/gpu and run with the NVIDIA container runtime)"
        : $"{source} is '{name}' but libtorch reports no CUDA device; this build uses libtorch-cpu — build with -p:AcceptDevice=cuda "
          + "on a machine with TorchSharp-cuda-linux";
}
