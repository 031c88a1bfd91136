namespace Accept.Training.Data;

/// <summary>Optional upper bounds on split sizes, applied after the split rule (quick runs, CPU demos).</summary>
public sealed record SplitCaps(int? MaxTrain = null, int? MaxValidation = null, int? MaxTest = null);
