using System.Diagnostics;
using Accept.GrainInterfaces.Codebooks;

namespace Accept.Grains.Codebooks;

/// <summary>
/// A codebook grain's push calls and the time their offers held the grain (checks, a round's aggregation and
/// update; not the wait for the round) and the gradient bytes they carried, shown in its status (<c>accept bench pushes</c> reads them).
/// </summary>
public sealed class PushCallMeter
{
    private long _ticks;

    public long Calls { get; private set; }

    public double BusySeconds => _ticks / (double)Stopwatch.Frequency;

    /// <summary>The gradient bytes the pushes carried (<c>accept bench scale</c>'s bytes per round).</summary>
    public long GradientBytesIn { get; private set; }

    public void Received(long gradientBytes) => GradientBytesIn += gradientBytes;

    /// <summary>Runs an offer and counts it with the time it took.</summary>
    public T Measure<T>(Func<T> offer)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = offer();
        Calls++;
        _ticks += Stopwatch.GetTimestamp() - started;
        return answer;
    }

    public CodebookStatus Stamp(CodebookStatus status) => status with { PushCalls = Calls, BusySeconds = BusySeconds, GradientBytesIn = GradientBytesIn };
}
