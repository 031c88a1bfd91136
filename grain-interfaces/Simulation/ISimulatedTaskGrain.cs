namespace Accept.GrainInterfaces.Simulation;

/// <summary>
/// A task whose step is synthetic (`accept bench scale`): no backbone; each step takes a drawn time and yields
/// a gradient of the group's real shape, deterministic from the seed, pushed through the real codebook link,
/// aggregator and codebook grain. Key: GrainKeys.Task(job, task).
/// </summary>
public interface ISimulatedTaskGrain : IGrainWithStringKey
{
    /// <summary>Starts the steps (idempotent); they run in the background.</summary>
    Task Start(SimulationSpec spec);

    Task<SimulationReport> GetReport();

    /// <summary>Drops this activation (and its codebooks) once the report was read.</summary>
    Task Stop();
}

/// <param name="Index">The task's index in the job: with <see cref="Seed"/> it seeds the gradient and step times.</param>
/// <param name="StepMs">Every step's time.</param>
/// <param name="StragglerP">Probability that a step is a straggler, taking <see cref="StragglerMs"/> instead.</param>
/// <param name="Hierarchical">Push through the silo's aggregator (else one push per task).</param>
[GenerateSerializer, Immutable]
[Alias("accept.SimulationSpec")]
public sealed record SimulationSpec(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Group,
    [property: Id(2)] string Task,
    [property: Id(3)] int Index,
    [property: Id(4)] int Seed,
    [property: Id(5)] int Steps,
    [property: Id(6)] double StepMs,
    [property: Id(7)] double StragglerP,
    [property: Id(8)] double StragglerMs,
    [property: Id(9)] bool Hierarchical);

/// <summary>One synthetic step: when it started, its drawn time, when the push's answer came (Stopwatch ticks, one clock per process).</summary>
[GenerateSerializer, Immutable]
[Alias("accept.SimulatedStep")]
public sealed record SimulatedStep(
    [property: Id(0)] long BaseVersion,
    [property: Id(1)] long StartTicks,
    [property: Id(2)] double StepMs,
    [property: Id(3)] long EndTicks,
    [property: Id(4)] bool Accepted);

[GenerateSerializer, Immutable]
[Alias("accept.SimulationReport")]
public sealed record SimulationReport(
    [property: Id(0)] string Task,
    [property: Id(1)] string Silo,
    [property: Id(2)] IReadOnlyList<SimulatedStep> Steps,
    [property: Id(3)] bool Done,
    [property: Id(4)] string? Error,
    [property: Id(5)] long GradientBytes,
    [property: Id(6)] long CodebookBytes);
