namespace Accept.Training.Sweeps;

/// <summary>
/// The sweep's random numbers: xoshiro256** seeded by SplitMix64, whose whole state is four integers kept in
/// the <see cref="SweepState"/>, so a resumed sweep continues the same sequence (System.Random's state cannot
/// be saved).
/// </summary>
public sealed class SweepRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SweepRandom(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private SweepRandom(ulong[] state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    /// <summary>The generator continuing from <paramref name="state"/> (as <see cref="State"/> returned it).</summary>
    public static SweepRandom FromState(IReadOnlyList<ulong> state) =>
        state.Count == 4 ? new SweepRandom([.. state]) : throw new ArgumentException($"a sweep RNG state has 4 words, not {state.Count}", nameof(state));

    public ulong[] State => [_s0, _s1, _s2, _s3];

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => count <= 0 ? throw new ArgumentOutOfRangeException(nameof(count)) : (int)(NextUInt64() % (ulong)count);

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
