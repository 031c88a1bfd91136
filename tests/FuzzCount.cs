namespace Accept.Tests;

/// <summary>
/// How many malformed inputs each generated (property-based) test tries: 200 by default, so the fast suite
/// stays quick; <c>ACCEPT_FUZZ_COUNT=1000</c> (or more) for the full campaign (docs/reliability.md).
/// </summary>
internal static class FuzzCount
{
    public const string Variable = "ACCEPT_FUZZ_COUNT";

    public static int PerFamily =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), out var n) && n > 0 ? n : 200;
}

/// <summary>What a family of generated inputs came to: accepted, or rejected with a clear error (by kind).</summary>
internal sealed class FuzzTally
{
    private readonly Dictionary<string, int> _rejected = new(StringComparer.Ordinal);

    public int Cases { get; private set; }
    public int Accepted { get; private set; }

    public void Accept() { Cases++; Accepted++; }

    public void Reject(string kind)
    {
        Cases++;
        _rejected[kind] = _rejected.GetValueOrDefault(kind) + 1;
    }

    public int Rejected => Cases - Accepted;

    public override string ToString() =>
        $"{Cases} cases: {Accepted} accepted, {Rejected} rejected with a clear error ({string.Join(", ", _rejected.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value}"))}); 0 crashes";
}
