using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Tasks;

namespace Accept.Tests.Grains.Tasks;

[Trait("Category", "Fast")]
public sealed class TaskLifecycleTests
{
    [Fact]
    public void A_paused_task_rejoins_once_after_it_resumes()
    {
        var task = new TaskLifecycle("sst2");
        Assert.False(task.Pause());
        task.Start();

        Assert.True(task.Pause());
        Assert.False(task.Pause());
        Assert.Equal(TaskState.Paused, task.State);
        task.Resume();

        Assert.True(task.Running);
        Assert.True(task.TakeRejoin());
        Assert.False(task.TakeRejoin());
    }

    [Fact]
    public void An_ended_task_keeps_its_final_result_and_error()
    {
        var task = new TaskLifecycle("sst2");
        task.Start();
        task.End(TaskState.Cancelled, session: null, "the job has ended");

        Assert.False(task.Cancel());
        var status = task.Status(session: null, stepsPerSecond: 3.5, codebookVersion: 7, silo: "w1", checkpointBehind: null);
        Assert.Equal(("sst2", TaskState.Cancelled, "the job has ended", 0.0, 7L), (status.TaskName, status.State, status.Error, status.StepsPerSecond, status.CodebookVersion));
        Assert.Same(task.Final, task.Result(session: null));
        Assert.Equal(TaskState.Cancelled, task.Final!.State);
    }

    [Fact]
    public void Cancel_takes_a_task_that_has_not_ended_and_reports_its_rate_only_while_running()
    {
        var task = new TaskLifecycle("rte");
        task.Start();
        Assert.Equal(2.0, task.Status(null, 2.0, 0, "w1", "store down").StepsPerSecond);
        Assert.Equal("store down", task.Status(null, 2.0, 0, "w1", "store down").CheckpointBehind);

        Assert.True(task.Cancel());
        Assert.Null(task.Final);
        task.Seal(session: null);

        Assert.Equal(TaskState.Cancelled, task.Result(null).State);
        Assert.Equal(0.0, task.Status(null, 2.0, 0, "w1", null).StepsPerSecond);
    }
}
