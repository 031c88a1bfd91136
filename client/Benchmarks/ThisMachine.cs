using System.Diagnostics;
using System.Globalization;

namespace Accept.Client.Benchmarks;

/// <summary>What the benchmarks report about the process and the machine they ran on: one place for each reading.</summary>
internal static class ThisMachine
{
    /// <summary>This process's working set (resident memory), in MiB.</summary>
    public static double WorkingSetMb()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / 1048576.0;
    }

    /// <summary>This process's peak resident set (Linux VmHWM), in MiB; null where /proc is not there.</summary>
    public static double? PeakRssMb()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg); null where there are none.</summary>
    public static double[]? LoadAverages()
    {
        const string file = "/proc/loadavg";
        try
        {
            return File.Exists(file) ? [.. File.ReadAllText(file).Split(' ').Take(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture))] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
