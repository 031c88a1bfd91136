using System.Diagnostics;

namespace Accept.Client.Benchmarks.Scale;

/// <summary>This process's CPU time, managed allocations and garbage collections (generations 0, 1, 2) at one moment.</summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public static ProcessCounters Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public static ProcessCounters operator -(ProcessCounters a, ProcessCounters b) =>
        new(a.Cpu - b.Cpu, a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2);
}
