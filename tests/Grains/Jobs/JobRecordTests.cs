using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Jobs;
using Accept.Training.Runs;

namespace Accept.Tests.Grains.Jobs;

[Trait("Category", "Fast")]
public sealed class JobRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static JobRecord Record() => new()
    {
        RunSpecJson = "{}",
        State = JobState.Running,
        StartedUtc = T0,
        Tasks = [new("b", "g"), new("a", "g"), new("c", "h")],
        Groups = ["g", "h"],
    };

    private static TrainingTaskStatus Status(string task, long step) => new(task, TaskState.Running, step, 10, 1.0, null, null, 1, 0, "w1", null);

    private static TaskResult Result(string task, TaskState state, long tokens = 0, string? error = null) =>
        new(task, state, tokens, error, new TaskSummary("accuracy", 0.5, null, null, null, 10, 0));

    [Fact]
    public void Reports_of_unknown_or_ended_tasks_are_not_taken_and_statuses_keep_spec_order()
    {
        var record = Record();
        Assert.True(record.Report(Status("a", 3)));
        Assert.True(record.Report(Status("b", 4)));
        Assert.False(record.Report(Status("z", 5)));
        record.Finished["a"] = Result("a", TaskState.Completed);

        Assert.False(record.Report(Status("a", 9)));
        Assert.Equal([("b", 4L), ("a", 3L)], record.Statuses().Select(s => (s.TaskName, s.Step)));
        Assert.Equal(["b", "c"], record.Unfinished().Select(t => t.Key));
    }

    [Fact]
    public void The_job_ends_once_every_task_ended_and_fails_naming_each_failed_task()
    {
        var record = Record();
        record.Finished["a"] = Result("a", TaskState.Completed);
        record.Finished["b"] = Result("b", TaskState.Failed, error: "diverged");
        Assert.Null(record.Outcome());

        record.Finished["c"] = Result("c", TaskState.Failed, error: "out of memory");

        Assert.Equal((JobState.Failed, "task 'b' failed: diverged; task 'c' failed: out of memory"), record.Outcome());
        record.Finished["b"] = Result("b", TaskState.Cancelled);
        record.Finished["c"] = Result("c", TaskState.Completed);
        Assert.Equal((JobState.Completed, (string?)null), record.Outcome());
    }

    [Fact]
    public async Task Results_take_ended_tasks_as_recorded_the_others_live_in_spec_order_and_rate_the_tokens_over_the_wall_time_to_the_end_or_to_now()
    {
        var record = Record();
        record.Finished["a"] = Result("a", TaskState.Completed, tokens: 300);
        var asked = new List<string>();
        Task<TaskResult> Live(string task)
        {
            asked.Add(task);
            return Task.FromResult(Result(task, TaskState.Running, tokens: task == "b" ? 100 : 0));
        }

        var running = await record.ResultsAsync("job1", Live, T0.AddSeconds(8));
        record.End(JobState.Completed, null, T0.AddSeconds(4));
        var ended = await record.ResultsAsync("job1", Live, T0.AddSeconds(100));

        Assert.Equal(["b", "a", "c"], running.Tasks.Select(t => t.TaskName));
        Assert.Equal(["b", "c", "b", "c"], asked);
        Assert.Equal((8.0, 50.0), (running.WallSeconds, running.TokensPerSecond));
        Assert.Equal((4.0, 100.0, JobState.Completed), (ended.WallSeconds, ended.TokensPerSecond, ended.State));
    }
}

[Trait("Category", "Fast")]
public sealed class TaskKeepAliveTests
{
    private static JobRecord Record() => new()
    {
        RunSpecJson = "{}",
        State = JobState.Running,
        Tasks = [new("a", "g"), new("b", "g"), new("c", "h")],
        Groups = ["g", "h"],
    };

    private static TrainingTaskStatus Status(string task, TaskState state) => new(task, state, 1, 10, 1.0, null, null, 1, 0, "w1", null);

    [Fact]
    public async Task A_pass_starts_each_unfinished_task_records_the_ended_and_leaves_the_silent_for_the_next()
    {
        var record = Record();
        record.Finished["c"] = new TaskResult("c", TaskState.Completed, 0, null, null);
        var started = new List<(string, string)>();
        var silent = new List<string>();

        var changed = await TaskKeepAlive.PassAsync(record,
            (task, group) =>
            {
                started.Add((task, group));
                return task == "b" ? throw new TimeoutException("silo died") : Task.FromResult(Status(task, TaskState.Failed));
            },
            task => Task.FromResult(new TaskResult(task, TaskState.Failed, 0, "diverged", null)),
            (task, _) => silent.Add(task));

        Assert.True(changed);
        Assert.Equal([("a", "g"), ("b", "g")], started);
        Assert.Equal(["b"], silent);
        Assert.Equal("diverged", record.Finished["a"].Error);
        Assert.Equal(["b"], record.Unfinished().Select(t => t.Key));
        Assert.Equal(TaskState.Failed, record.LastStatus["a"].State);
    }

    [Fact]
    public async Task A_pass_where_every_task_still_runs_changes_nothing_but_their_statuses()
    {
        var record = Record();

        var changed = await TaskKeepAlive.PassAsync(record, (task, _) => Task.FromResult(Status(task, TaskState.Running)),
            _ => throw new InvalidOperationException("no result is asked of a running task"), (_, _) => { });

        Assert.False(changed);
        Assert.Empty(record.Finished);
        Assert.Equal(3, record.LastStatus.Count);
    }
}
