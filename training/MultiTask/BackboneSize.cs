namespace Accept.Training.MultiTask;

/// <summary>Sizes of the untrained demo backbone: tiny (d 128, 2+2 layers) for CPU demos, small (t5-small's shape).</summary>
public enum BackboneSize
{
    Tiny,
    Small,
}
