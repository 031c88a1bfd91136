using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Tensors;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;

namespace Accept.Tests.Grains;

/// <summary>Whole jobs through the job, task and codebook grains on one coordinator and two workers.</summary>
[Trait("Category", "Cluster")]
[Collection(GrainClusterCollection.Name)]
public sealed class JobTrainingTests(GrainClusterFixture fixture)
{
    private const int Steps = 50;

    [Fact]
    public async Task Sync_job_with_tasks_on_two_workers_equals_the_in_process_trainer_after_50_steps()
    {
        var spec = fixture.Run.Spec(steps: Steps, checkpointEvery: 20, evalEvery: 25);
        var jobId = await GrainTestHelpers.JobWithTasksOnDifferentSilos(fixture.Client, "equiv", "parity", "topic");
        var job = fixture.Client.GetGrain<IJobGrain>(jobId);

        await job.Submit(new JobSubmission(spec, "test"));
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(90));
        var results = await job.GetResults();
        var snapshot = await fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared")).GetSnapshot(-1);

        Assert.Equal(JobState.Completed, status.State);
        Assert.All(status.Tasks, t => Assert.NotEqual("Primary", t.Silo));
        Assert.Equal(2, status.Tasks.Select(t => t.Silo).Distinct().Count());

        using var reference = InProcess(spec);
        var group = reference.Groups["shared"];
        Assert.Equal(group.Version, snapshot.Version);
        foreach (var (name, codebook) in group.Codebooks)
        {
            using var distributed = TensorPayloadConverter.ToTensor(snapshot.Tensors![name], name);
            Assert.InRange(GrainTestHelpers.MaxAbsDifference(codebook, distributed), 0, 1e-5);
        }
        foreach (var (task, session) in reference.Sessions)
        {
            using var checkpoint = await GrainTestHelpers.LoadTaskCheckpoint(fixture.Run.Checkpoints, jobId, task);
            using var expected = session.Capture();
            Assert.Equal(expected.State.Step, checkpoint.State.Step);
            Assert.Equal(expected.Tensors.Keys.Order(), checkpoint.Tensors.Keys.Order());
            foreach (var (name, tensor) in expected.Tensors)
            {
                Assert.InRange(GrainTestHelpers.MaxAbsDifference(tensor, checkpoint.Tensors[name]), 0, 1e-5);
            }
            var result = results.Tasks.Single(r => r.TaskName == task).Summary!;
            Assert.Equal(Steps, result.Steps);
            Assert.Equal(session.RecentLoss!.Value, result.FinalLoss!.Value, 4);
            Assert.Equal(session.BestMetric, result.BestMetric);
            Assert.Equal(session.MajorityBaseline, result.MajorityBaseline);
            Assert.Equal("accuracy", result.MetricName);
        }
        Assert.True(results.TokensPerSecond > 0);
    }

    [Fact]
    public async Task Tasks_pause_resume_and_answer_status_while_training_and_cancel_closes_the_group()
    {
        var jobId = "control";
        var job = fixture.Client.GetGrain<IJobGrain>(jobId);
        await job.Submit(new JobSubmission(fixture.Run.Spec(steps: 5000, checkpointEvery: 0, evalEvery: 5000), null));
        var parity = fixture.Client.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, "parity"));
        await GrainTestHelpers.WaitForStep(parity, 3, TimeSpan.FromSeconds(30));

        var paused = await parity.Pause();
        // The paused task left the group, so "topic" trains alone: its steps are the clock that shows parity stands still.
        var topic = fixture.Client.GetGrain<ITaskGrain>(GrainKeys.Task(jobId, "topic"));
        var topicAtPause = (await topic.GetStatus()).Step;
        await GrainTestHelpers.WaitForStep(topic, topicAtPause + 3, TimeSpan.FromSeconds(30));
        var whilePaused = await parity.GetStatus();
        await GrainTestHelpers.WaitForStep(topic, topicAtPause + 6, TimeSpan.FromSeconds(30));
        var laterPaused = await parity.GetStatus();
        await parity.Resume();
        var resumed = await GrainTestHelpers.WaitForStep(parity, laterPaused.Step + 2, TimeSpan.FromSeconds(30));
        var metrics = await parity.GetMetrics(0);
        var cancelled = await job.Cancel();
        var group = await fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared")).GetStatus();

        Assert.Equal(TaskState.Paused, paused.State);
        Assert.Equal(whilePaused.Step, laterPaused.Step);
        Assert.Equal(TaskState.Running, resumed.State);
        Assert.True(metrics.Count >= 3);
        Assert.Equal(Enumerable.Range(1, metrics.Count).Select(i => (long)i), metrics.Select(m => m.Step));
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.All(cancelled.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));
        Assert.True(group.Closed);
        Assert.Empty(group.Members);
    }

    [Fact]
    public async Task A_bad_spec_is_refused_with_an_error_naming_the_key()
    {
        var spec = fixture.Run.Spec(scppSubDim: 7);
        var unknownKey = fixture.Run.Spec().Replace("\"checkpoint_every\"", "\"checkpoint_evry\"", StringComparison.Ordinal);

        var layout = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<IJobGrain>("bad-layout").Submit(new JobSubmission(spec, null)));
        var key = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<IJobGrain>("bad-key").Submit(new JobSubmission(unknownKey, null)));
        var id = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<IJobGrain>("Bad/Id").Submit(new JobSubmission(fixture.Run.Spec(), null)));

        Assert.Contains("sub_dim 7 does not divide d_model 64", layout.Message);
        Assert.Contains("checkpoint_evry", key.Message);
        Assert.Contains("job id", id.Message);
    }

    [Fact]
    public async Task A_spec_whose_step_cannot_fit_in_memory_is_refused_at_submission_and_no_task_starts()
    {
        var spec = System.Text.Json.Nodes.JsonNode.Parse(fixture.Run.Spec())!;
        spec["method"]!["max_length"] = 100_000;
        spec["optimization"]!["batch_size"] = 100_000;
        var job = fixture.Client.GetGrain<IJobGrain>("too-large");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => job.Submit(new JobSubmission(spec.ToJsonString(), null)));

        Assert.Contains("a training step needs about", error.Message);
        Assert.Contains("optimization.batch_size (100000)", error.Message);
        Assert.Contains("method.max_length (100000)", error.Message);
    }

    [Fact]
    public async Task Job_task_and_codebook_state_is_checkpointed_in_the_directory_store()
    {
        var jobId = "stored";
        var job = fixture.Client.GetGrain<IJobGrain>(jobId);
        await job.Submit(new JobSubmission(fixture.Run.Spec(steps: 12, checkpointEvery: 5, evalEvery: 12), null));
        await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(60));
        // The job closes its group after recording the end; Close returns once the group's final state is stored.
        await fixture.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(jobId, "shared")).Close();
        var store = new DirectoryCheckpointStore(fixture.Run.Checkpoints, 3);

        var parity = await store.ListAsync(new CheckpointScope(jobId, CheckpointOwners.Task("parity")));
        var group = await store.LoadLatestAsync(new CheckpointScope(jobId, CheckpointOwners.Codebook("shared")));
        var record = await store.LoadLatestAsync(new CheckpointScope(jobId, CheckpointOwners.Job));

        // Steps 5 and 10, then the final one at 12 (the store keeps 3).
        Assert.Equal(3, parity.Count);
        Assert.Equal("12", group!.Content.Metadata["version"]);
        Assert.Equal("Completed", record!.Content.Metadata["state"]);
        Assert.True(File.Exists(Path.Combine(fixture.Run.Checkpoints, jobId, "task-parity", "pointer.json")));
        Assert.True(File.Exists(Path.Combine(fixture.Run.Checkpoints, jobId, "codebook-shared", "pointer.json")));
    }

    [Fact]
    public async Task Tasks_whose_data_cannot_load_fail_with_the_file_named_and_the_job_fails_without_hanging()
    {
        var spec = fixture.Run.Spec(steps: 20, only: ["ok"], extraTasks: ["broken"]);
        var missing = Path.Combine(fixture.Run.Root, "broken-validation.jsonl");
        File.Move(missing, missing + ".gone");
        try
        {
            var job = fixture.Client.GetGrain<IJobGrain>("broken");
            await job.Submit(new JobSubmission(spec, null));
            var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(60));

            // A silo loads the whole run's data once for all its tasks, so every task of the run reports the missing file.
            Assert.Equal(JobState.Failed, status.State);
            Assert.All(status.Tasks, t => Assert.Equal(TaskState.Failed, t.State));
            Assert.All(status.Tasks, t => Assert.Contains("broken-validation.jsonl", t.Error));
            Assert.Contains("task 'broken' failed", status.Error);
        }
        finally
        {
            File.Move(missing + ".gone", missing);
        }
    }

    [Fact]
    public async Task An_async_job_applies_every_fresh_gradient_once_and_completes()
    {
        var job = fixture.Client.GetGrain<IJobGrain>("async-job");
        await job.Submit(new JobSubmission(fixture.Run.Spec(steps: 20, mode: "async", maxStaleness: 2, checkpointEvery: 0, evalEvery: 20), null));
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(60));
        var group = status.CodebookGroups.Single();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal("async", group.Mode);
        Assert.Equal(new Dictionary<string, long> { ["parity"] = 20, ["topic"] = 20 }, group.LastSteps);
        Assert.Equal(group.AcceptedPushes, group.AppliedGradients);
        Assert.Equal(40, group.AppliedGradients + group.RejectedPushes);
        Assert.Equal(group.AppliedGradients, group.Version);
    }

    private MultiTaskTrainer InProcess(string spec)
    {
        var context = RunContext.Load(RunSpecReader.Parse(spec, "spec"), fixture.Run.Root);
        var backbone = T5Model.Load(fixture.Run.Backbone);
        var trainer = MultiTaskTrainer.Start(context, backbone, RunDirectory.Create(Path.Combine(fixture.Run.Root, "reference"), "run"));
        trainer.Train();
        return trainer;
    }
}
