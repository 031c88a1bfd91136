namespace Accept.GrainInterfaces.Jobs;

[GenerateSerializer]
[Alias("accept.JobState")]
public enum JobState
{
    Created = 0,
    Running = 1,
    Completed = 2,
    Cancelled = 3,
    Failed = 4,
}
