using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>A command-line flag that overrides one run-spec key (<see cref="JsonPath"/>).</summary>
public sealed record OverrideFlag(string Name, string JsonPath, string Description, Func<RunSpec, string, RunSpec> Apply);
