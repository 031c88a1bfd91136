using System.Diagnostics;
using Accept.Training.Devices;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// What a step benchmark measures per counted step: wall-clock seconds (median and min), process CPU
/// seconds, minor page faults (fresh pages the allocator asked the kernel for), and, when asked, where the
/// time went (<see cref="StepBreakdown"/>, summed over the counted steps).
/// </summary>
public sealed class StepTimes
{
    /// <summary>How <see cref="SecondsPerStepBySection"/> is measured, for the benchmark's JSON.</summary>
    public const string Method =
        "stopwatch sections (TorchSharp 0.107 exposes no autograd profiler); CPU kernels run synchronously, on CUDA every section boundary synchronises; " +
        "each section excludes the sections inside it; backward is one autograd call and is not split by layer; other = step time not in any section";

    private readonly Device _device;
    private readonly StepBreakdown? _breakdown;
    private readonly List<double> _seconds = [];
    private double _cpuSeconds;
    private long _minorFaults;

    public StepTimes(Device device, bool breakdown)
    {
        _device = device;
        _breakdown = breakdown ? new StepBreakdown(device) : null;
    }

    public int Steps => _seconds.Count;

    public double MedianSeconds
    {
        get
        {
            var sorted = _seconds.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double MinSeconds => _seconds.Min();

    public double MeanSeconds => _seconds.Average();

    public double CpuSecondsPerStep => _cpuSeconds / Steps;

    /// <summary>Minor page faults of the process per step (Linux; 0 elsewhere).</summary>
    public double MinorPageFaultsPerStep => (double)_minorFaults / Steps;

    /// <summary>Mean seconds per step by section, with "other" for the rest of the mean step; empty without a breakdown.</summary>
    public IReadOnlyDictionary<string, double> SecondsPerStepBySection
    {
        get
        {
            if (_breakdown is null) return new Dictionary<string, double>();
            var sections = _breakdown.Seconds.ToDictionary(s => s.Key, s => s.Value / Steps);
            sections["other"] = Math.Max(0, MeanSeconds - sections.Values.Sum());
            return sections;
        }
    }

    /// <summary>Times one step, from now until the handle is disposed; uncounted steps (warm-up) leave no trace.</summary>
    public IDisposable Measure(bool counted) => new Measurement(this, counted);

    private sealed class Measurement : IDisposable
    {
        private readonly StepTimes _owner;
        private readonly bool _counted;
        private readonly IDisposable? _recording;
        private readonly long _start;
        private readonly TimeSpan _cpuStart;
        private readonly long _faultsStart;

        public Measurement(StepTimes owner, bool counted)
        {
            _owner = owner;
            _counted = counted;
            DeviceSelection.Synchronize(owner._device);
            _faultsStart = MinorFaults();
            _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            _start = Stopwatch.GetTimestamp();
            if (counted) _recording = owner._breakdown?.Record();
        }

        public void Dispose()
        {
            _recording?.Dispose();
            DeviceSelection.Synchronize(_owner._device);
            var elapsed = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
            var faults = MinorFaults() - _faultsStart;
            if (!_counted) return;
            _owner._seconds.Add(elapsed);
            _owner._cpuSeconds += cpu;
            _owner._minorFaults += faults;
        }
    }

    // Field 10 of /proc/self/stat (minflt), after the parenthesised command name.
    private static long MinorFaults()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
