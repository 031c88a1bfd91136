namespace Accept.Training.Prediction;

/// <summary>Decoding so far: inputs done of the total, tokens generated and the seconds it took.</summary>
public sealed record DecodeProgress(int Done, int Total, long GeneratedTokens, double Seconds)
{
    public double TokensPerSecond => Seconds > 0 ? GeneratedTokens / Seconds : 0;
}
