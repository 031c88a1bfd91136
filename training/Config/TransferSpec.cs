namespace Accept.Training.Config;

/// <summary>
/// Initialise from another run's saved tensors: <see cref="Source"/> is that run's directory (or checkpoint);
/// <see cref="Codebooks"/> copies its codebooks, <see cref="WeightsFromTask"/> (if set) copies that task's
/// weights into every task; <see cref="FreezeCodebooks"/> trains only the tasks' weights.
/// </summary>
public sealed record TransferSpec(string Source, bool Codebooks, string? WeightsFromTask, bool FreezeCodebooks);
