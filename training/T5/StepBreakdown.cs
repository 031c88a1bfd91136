using System.Diagnostics;
using Accept.Training.Devices;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// Where the time of a step goes: wall-clock seconds per named section, each exclusive of the sections
/// opened inside it, recorded on the calling thread while <see cref="Record"/> is active. TorchSharp 0.107
/// exposes no autograd profiler, so sections are timed with a stopwatch: CPU kernels run synchronously on
/// the calling thread (and its OpenMP team), and on CUDA each section boundary synchronises the device.
/// When nothing records, <see cref="Time"/> costs one thread-static read.
/// </summary>
public sealed class StepBreakdown
{
    /// <summary>Section names, as reported.</summary>
    public const string PromptComposition = "prompt_composition";
    public const string PositionBiasAndMasks = "position_bias_and_masks";
    public const string Embeddings = "embeddings";
    public const string Attention = "attention";
    public const string LayerNorm = "layer_norm";
    public const string FeedForward = "ffn";
    public const string Residual = "residual";
    public const string LmHeadAndLoss = "lm_head_and_loss";
    public const string Backward = "backward";
    public const string Optimizer = "optimizer";

    [ThreadStatic] private static StepBreakdown? _current;

    private readonly Device _device;
    private readonly Dictionary<string, double> _seconds = new();
    private readonly Stack<(string Name, long Start, long Children)> _open = new();

    public StepBreakdown(Device? device = null) => _device = device ?? CPU;

    /// <summary>Seconds per section, summed over every step recorded so far.</summary>
    public IReadOnlyDictionary<string, double> Seconds => _seconds;

    /// <summary>Makes this the recorder of the calling thread until the returned handle is disposed.</summary>
    public IDisposable Record()
    {
        if (_current is not null) throw new InvalidOperationException("a step breakdown is already recording on this thread");
        _current = this;
        return new Recording();
    }

    /// <summary>Opens a section on the calling thread's recorder, if any; dispose to close it.</summary>
    public static Section Time(string name) => _current is { } recorder ? recorder.Open(name) : default;

    private Section Open(string name)
    {
        DeviceSelection.Synchronize(_device);
        _open.Push((name, Stopwatch.GetTimestamp(), 0));
        return new Section(this);
    }

    private void Close()
    {
        DeviceSelection.Synchronize(_device);
        var (name, start, children) = _open.Pop();
        var elapsed = Stopwatch.GetTimestamp() - start;
        _seconds[name] = _seconds.GetValueOrDefault(name) + (double)(elapsed - children) / Stopwatch.Frequency;
        if (_open.TryPop(out var parent))
            _open.Push(parent with { Children = parent.Children + elapsed });
    }

    /// <summary>An open section; closing it adds its time to its name.</summary>
    public readonly struct Section : IDisposable
    {
        private readonly StepBreakdown? _owner;

        internal Section(StepBreakdown owner) => _owner = owner;

        public void Dispose() => _owner?.Close();
    }

    private sealed class Recording : IDisposable
    {
        public void Dispose() => _current = null;
    }
}
