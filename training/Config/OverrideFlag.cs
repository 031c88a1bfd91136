namespace Accept.Training.Config;

/// <summary>A command-line flag that overrides one run-spec key (<see cref="JsonPath"/>).</summary>
public sealed record OverrideFlag(string Name, string JsonPath, string Description, Func<RunSpec, string, RunSpec> Apply);
