namespace Accept.Client.Benchmarks.Chaos;

/// <summary>What `accept bench chaos` was asked for.</summary>
/// <param name="Spec">The run spec; null for the default tiny one (<see cref="ChaosSpec"/>).</param>
/// <param name="Baseline">Whether to run the spec once without a fault first, to compare final losses with.</param>
/// <param name="FirstPort">The first of the 500 loopback ports the processes listen on; 0 lets the system pick (<see cref="ChaosPorts"/>).</param>
public sealed record ChaosOptions(int Runs, IReadOnlyList<ChaosFault> Faults, string? Spec, int Seed, bool Baseline, TimeSpan RunTimeout, string WorkDirectory, int FirstPort = 0);
