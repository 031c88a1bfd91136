using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Jobs;
using Accept.Grains.Tensors;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using Orleans.TestingHost;

namespace Accept.Tests.Grains;

/// <summary>
/// A coordinator and four workers: 24 tasks' sync job, with the silos' default aggregation (hierarchical: each
/// silo's aggregator sends its tasks' exact sum per window, docs/scaling.md), ends with the in-process trainer's
/// codebooks to 1e-5 whatever the windows' composition (ExactSum; it used to miss by 6.8e-4 in about half the runs).
/// </summary>
[Trait("Category", "Cluster")]
public sealed class HierarchicalAggregationTests : IAsyncLifetime
{
    private const int Steps = 4;
    private readonly TinyRun _run = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // A 250 ms window (default 2 ms): on a quiet machine a silo's tasks can push more than 2 ms apart, and the test
        // must see the silos batch (push calls < gradients) to test the sums of mixed batches at all.
        _cluster = GrainSiloConfigurator.Build(_run.Checkpoints, workers: 4, roundTimeoutSeconds: 60, aggregationWindowMs: 250);
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _run.Dispose();
    }

    [Fact]
    public async Task Sync_job_of_24_tasks_on_four_workers_equals_the_in_process_trainer()
    {
        var names = Enumerable.Range(0, 24).Select(i => $"task{i:D2}").ToArray();
        var spec = _run.Spec(steps: Steps, checkpointEvery: 0, evalEvery: Steps, only: names);
        var job = _cluster.Client.GetGrain<IJobGrain>("hier-24");

        await job.Submit(new JobSubmission(spec, "test"));
        var status = await GrainTestHelpers.WaitForEnd(job, TimeSpan.FromSeconds(240));
        var codebook = _cluster.Client.GetGrain<ICodebookGrain>(GrainKeys.Codebook("hier-24", "shared"));
        var snapshot = await codebook.GetSnapshot(-1);
        var group = await codebook.GetStatus();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(4, status.Tasks.Select(t => t.Silo).Distinct().Count());
        Assert.Equal(24 * Steps, group.AppliedGradients);
        Assert.True(group.PushCalls < 24 * Steps, $"{group.PushCalls} push calls for {24 * Steps} gradients: no silo batched");

        var context = RunContext.Load(RunSpecReader.Parse(spec, "spec"), _run.Root);
        var backbone = T5Model.Load(_run.Backbone);
        using var reference = MultiTaskTrainer.Start(context, backbone, RunDirectory.Create(Path.Combine(_run.Root, "reference"), "run"));
        reference.Train();
        var expected = reference.Groups["shared"];
        Assert.Equal(expected.Version, snapshot.Version);
        foreach (var (name, tensor) in expected.Codebooks)
        {
            using var distributed = TensorPayloadConverter.ToTensor(snapshot.Tensors![name], name);
            Assert.Equal(0, GrainTestHelpers.MaxAbsDifference(tensor, distributed)); // bit-identical: exact sums
        }
    }
}
