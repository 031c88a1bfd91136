namespace Accept.Training.Checkpointing;

/// <summary>
/// One task as a run trained it: its state (weights, moments, <see cref="TaskSessionState"/>) and its
/// group's codebooks at the same point. Owns both.
/// </summary>
/// <param name="Which">The checkpoint actually loaded (Best falls back to Last when the task never evaluated; see <see cref="Notes"/>).</param>
/// <param name="Notes">Fallbacks taken while loading (a corrupt newest checkpoint, a missing best one), one line each, for the user.</param>
public sealed record TrainedTask(string Task, string Group, CheckpointChoice Which, long Step, TaskCheckpoint State, CodebookCheckpoint Codebooks,
    IReadOnlyList<string> Notes) : IDisposable
{
    public void Dispose()
    {
        State.Dispose();
        Codebooks.Dispose();
    }
}
