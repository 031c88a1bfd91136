using Accept.Training.Checkpointing;

namespace Accept.Training.Prediction;

/// <summary>The command-line words for <see cref="CheckpointChoice"/>: best (chosen on validation) and last.</summary>
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
