namespace Accept.Training.Prompts;

/// <summary>Stable per-name seeds (string.GetHashCode is randomised per process, so FNV-1a is used).</summary>
public static class SeedDerivation
{
    public static long Derive(long seed, string name)
    {
        ulong h = 14695981039346656037UL ^ (ulong)seed;
        foreach (var c in name)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return (long)(h & 0x7FFF_FFFF_FFFF_FFFF);
    }
}
