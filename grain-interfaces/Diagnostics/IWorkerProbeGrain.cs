namespace Accept.GrainInterfaces.Diagnostics;

/// <summary>A probe placed like task grains (workers only): shows where task grains can go.</summary>
[Alias("accept.IWorkerProbeGrain")]
public interface IWorkerProbeGrain : IProbeGrain;
