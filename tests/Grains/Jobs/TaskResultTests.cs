using System.Text;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Jobs;
using Accept.Training.Runs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Accept.Tests.Grains.Jobs;

/// <summary>A task's result carries its summary.json line (one type, <see cref="TaskSummary"/>): over the wire, in a
/// stored job record (also one stored before, with the figures flat), and into a cluster run's summary.json.</summary>
[Trait("Category", "Fast")]
public sealed class TaskResultTests
{
    private static readonly TaskSummary Line = new("accuracy", 0.25, 0.8, 8, 0.6, 10, 1) { InitialLoss = 1.5 };

    [Fact]
    public void A_result_crosses_the_wire_with_its_summary_line()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var result = new TaskResult("spam", TaskState.Completed, 300, null, Line with { Test = new Dictionary<string, double> { ["accuracy"] = 0.75 } });

        var copy = serializer.Deserialize<TaskResult>(serializer.SerializeToArray(result))!;

        Assert.Equal((result.TaskName, result.State, result.Tokens, result.Error), (copy.TaskName, copy.State, copy.Tokens, copy.Error));
        Assert.Equal(Line, copy.Summary! with { Test = null });
        Assert.Equal(0.75, copy.Summary.Test!["accuracy"]);
    }

    [Fact]
    public void A_job_record_stored_before_the_result_carried_its_line_reads_with_its_figures()
    {
        // As the previous version stored it: TaskResult's fields flat, System.Text.Json's defaults (enums as numbers).
        const string stored = """
            {"RunSpecJson":"{}","SubmittedBy":null,"State":2,"StartedUtc":"2026-01-01T00:00:00+00:00","FinishedUtc":null,"Error":null,
             "Tasks":[{"Key":"a","Value":"g"},{"Key":"b","Value":"g"}],"Groups":["g"],"CheckpointEvery":0,
             "Finished":{
               "a":{"TaskName":"a","Steps":10,"FinalLoss":0.25,"BestMetric":0.8,"MetricName":"accuracy","MajorityBaseline":0.6,"Tokens":300,"State":3,"BestStep":8,"InitialLoss":1.5,"Error":null,"SkippedSteps":1},
               "b":{"TaskName":"b","Steps":0,"FinalLoss":null,"BestMetric":null,"MetricName":null,"MajorityBaseline":null,"Tokens":0,"State":5,"BestStep":null,"InitialLoss":null,"Error":"no silo","SkippedSteps":0}},
             "LastStatus":{}}
            """;

        var record = JobRecord.FromJson(Encoding.UTF8.GetBytes(stored))!;

        Assert.Equal(new TaskResult("a", TaskState.Completed, 300, null, Line), record.Finished["a"]);
        Assert.Equal(new TaskResult("b", TaskState.Failed, 0, "no silo", null), record.Finished["b"]);
        Assert.Equal(JobState.Completed, record.State);
    }

    [Fact]
    public void A_job_record_reads_back_as_it_was_written()
    {
        var record = new JobRecord { RunSpecJson = "{}", Tasks = [new("a", "g"), new("b", "g")], Groups = ["g"] };
        record.Finished["a"] = new TaskResult("a", TaskState.Completed, 300, null, Line with { Test = new Dictionary<string, double> { ["f1"] = 0.5 } });
        record.Finished["b"] = new TaskResult("b", TaskState.Cancelled, 0, null, null);

        var read = JobRecord.FromJson(record.ToJson())!;

        Assert.Equal(Line, read.Finished["a"].Summary! with { Test = null });
        Assert.Equal(0.5, read.Finished["a"].Summary!.Test!["f1"]);
        Assert.Equal(record.Finished["b"], read.Finished["b"]);
    }

    [Fact]
    public void A_cluster_summary_takes_each_line_filling_what_it_lacks_from_the_watched_points_and_leaves_out_a_task_without_a_loss()
    {
        var results = new JobResults("job", JobState.Cancelled, [
            new TaskResult("a", TaskState.Completed, 300, null, Line),
            new TaskResult("b", TaskState.Cancelled, 0, null, Line with { FinalLoss = null, BestMetric = null, BestStep = null }),
            new TaskResult("c", TaskState.Cancelled, 0, null, null),
            new TaskResult("d", TaskState.Cancelled, 0, null, null),
        ], 4.0, 75.0);
        var seen = new Dictionary<string, TaskSeen>
        {
            ["a"] = new(9.0, "f1", 0.1, 1),
            ["b"] = new(0.5, "accuracy", 0.7, 6),
            ["c"] = new(0.75, "f1", 0.4, 2),
        };

        var summary = JobRunSummary.FromResults("run", results, seen);

        Assert.Equal(("run", JobRunSummary.ClusterMode, 4.0, 75.0), (summary.Run, summary.Mode, summary.WallTimeSeconds, summary.TokensPerSecond));
        Assert.Equal(["a", "b", "c"], summary.Tasks.Keys);
        Assert.Equal(Line, summary.Tasks["a"]);
        Assert.Equal(Line with { FinalLoss = 0.5, BestMetric = 0.7, BestStep = 6 }, summary.Tasks["b"]);
        Assert.Equal(new TaskSummary("f1", 0.75, 0.4, 2, null, 0, 0), summary.Tasks["c"]);
    }
}
