namespace Accept.Training.Checkpointing;

/// <summary>Which checkpoint of a task: its newest (<see cref="Last"/>) or the one at its best validation metric (<see cref="Best"/>).</summary>
public enum CheckpointChoice
{
    Last,
    Best,
}
