namespace Accept.Training.Prediction;

/// <summary>Which state of a trained task to use: the one at its best validation metric (the paper's
/// protocol), or the last one written.</summary>
public enum CheckpointChoice
{
    Best,
    Last,
}

public static class CheckpointChoices
{
    /// <summary>"best" or "last" (any case); anything else is an error naming the option.</summary>
    public static CheckpointChoice Parse(string value, string option = "--which") => value.Trim().ToLowerInvariant() switch
    {
        "best" => CheckpointChoice.Best,
        "last" => CheckpointChoice.Last,
        _ => throw new ArgumentException($"{option}: expected best or last, found '{value}'"),
    };

    public static string Name(this CheckpointChoice choice) => choice == CheckpointChoice.Best ? "best" : "last";
}
