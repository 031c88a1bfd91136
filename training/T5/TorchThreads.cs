using System.Runtime.InteropServices;
using TorchSharp;

namespace Accept.Training.T5;

/// <summary>
/// Thread settings for libtorch's CPU kernels. libtorch's OpenMP threads spin between parallel regions
/// by default; on a small shared machine (2 cores, other processes busy) that spinning tripled the
/// step time of `accept bench step` here, while passive waiting cost nothing measurable.
/// </summary>
public static partial class TorchThreads
{
    /// <summary>
    /// Call before the first use of <see cref="torch"/> in the process: OpenMP reads its wait policy once,
    /// when libtorch is loaded. A wait policy already set in the environment is left alone.
    /// </summary>
    public static void PreferPassiveWaiting()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(threads);
    }

    // .NET's Environment.SetEnvironmentVariable does not reach the C runtime's environ, which libgomp reads.
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
