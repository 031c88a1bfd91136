namespace Accept.Training.Data.Demo;

/// <summary>Sizes of the demo tasks. The demo trains on CPU, so splits are capped.</summary>
public sealed record DemoTaskOptions
{
    public int Seed { get; init; } = 42;
    public SplitCaps Caps { get; init; } = new(MaxTrain: 2000, MaxValidation: 200, MaxTest: 200);

    /// <summary>Inputs (e-mail bodies, State-of-the-Union passages) are cut to at most this many characters.</summary>
    public int MaxInputChars { get; init; } = 400;

    /// <summary>A party is kept for <c>party</c> only with at least this many addresses (Democratic and
    /// Republican have about 90 each; every other party has 28 or fewer).</summary>
    public int MinAddressesPerParty { get; init; } = 50;

    public double TrainFraction { get; init; } = 0.8;
    public double ValidationFraction { get; init; } = 0.1;
}
