namespace Accept.GrainInterfaces.Tasks;

[GenerateSerializer]
[Alias("accept.TaskState")]
public enum TaskState
{
    Created = 0,
    Running = 1,
    Paused = 2,
    Completed = 3,
    Cancelled = 4,
    Failed = 5,
}
