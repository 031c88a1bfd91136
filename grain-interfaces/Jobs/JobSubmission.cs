namespace Accept.GrainInterfaces.Jobs;

/// <summary>A run spec handed to a job grain. The spec never carries credentials; the silo's settings do.</summary>
/// <param name="RunSpecJson">The run spec file's JSON, after command-line overrides.</param>
/// <param name="SubmittedBy">Free text for operators (user, host).</param>
[GenerateSerializer, Immutable]
[Alias("accept.JobSubmission")]
public sealed record JobSubmission(
    [property: Id(0)] string RunSpecJson,
    [property: Id(1)] string? SubmittedBy);
