using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tasks;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using Accept.Grains.Execution;
using Accept.Grains.Hosting;
using Accept.Grains.Tasks;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Accept.Tests.Grains.Tasks;

/// <summary>
/// A task's training protocol without a cluster: real tiny sessions on a real step worker, pushing to a real
/// <see cref="CodebookCoordinator"/> (the protocol the codebook grain adapts) and checkpointing to a directory store.
/// </summary>
[Trait("Category", "Fast")]
public sealed class TaskTrainingTests : IDisposable
{
    private const string Task = "parity";

    private readonly TinyRun _run = new();
    private readonly AcceptSiloOptions _options = new();
    private readonly StepWorker _worker;
    private readonly TaskSessionHost _sessions;
    private readonly BackboneCache _backbones;
    private readonly CodebookGroup _group;
    private readonly CodebookCoordinator _coordinator;
    private readonly DirectoryCheckpointStore _store;
    private readonly TaskAssignment _spec;

    public TaskTrainingTests()
    {
        var json = _run.Spec(steps: 4, checkpointEvery: 2, evalEvery: 2);
        var run = RunSpecReader.Parse(json, "run spec");
        var groupName = run.Tasks.Single(t => t.Name == Task).CodebookGroup;
        _spec = new TaskAssignment("job1", Task, groupName, json, run.CheckpointEvery);
        _worker = new StepWorker(Options.Create(_options));
        _sessions = new TaskSessionHost(Options.Create(_options), new SiloDevice(_options));
        _backbones = new BackboneCache(new SiloDevice(_options));
        var config = T5Config.Load(Path.Combine(_run.Backbone, "config.json"));
        _group = CodebookGroups.Create(run, run.Method.ToLayout(config.DModel), groupName);
        _coordinator = new CodebookCoordinator(_group, CodebookRules.From(run), CodebookCoordinatorState.New([Task]), _ => new Timer(_ => { }));
        _store = new DirectoryCheckpointStore(_run.Checkpoints);
    }

    public void Dispose()
    {
        _sessions.Dispose();
        _backbones.Dispose();
        _worker.Dispose();
        _coordinator.Dispose();
        _group.Dispose();
        _run.Dispose();
    }

    /// <summary>One activation of the task: its own epoch in the group, lifecycle and metric log.</summary>
    private sealed class Activation(TaskTrainingTests test)
    {
        public CoordinatorLink Link { get; } = new(test._coordinator, Task, Guid.NewGuid());
        public TaskLifecycle Lifecycle { get; } = new(Task);
        public TaskMetricLog Log { get; } = new();
        public TaskCheckpoints Checkpoints { get; } = new(test._store, "job1", Task, NullLogger.Instance);

        private TaskTraining? _training;

        public TaskTraining Training => _training ??= new(test._spec, test._worker, Link, Checkpoints, Lifecycle, Log, null, NullLogger.Instance);

        public Task<TaskRuntime> SetUpAsync()
        {
            Lifecycle.Start();
            return Open();
        }

        /// <summary>The set-up as the task grain hands it to <see cref="TaskTraining.AdvanceAsync"/>.</summary>
        public Task<TaskRuntime> Open() =>
            Training.SetUpAsync(point => test._sessions.Open(test._spec.RunSpecJson, Task, test._backbones.Get, point?.Task, point?.Source ?? ""),
                runtime =>
                {
                    Runtime = runtime;
                    test._sessions.Add(Guid.NewGuid().ToString(), runtime);
                }, "test-silo");

        public TaskRuntime? Runtime { get; private set; }
    }

    /// <summary>The group as a task on the cluster reaches it through its codebook grain.</summary>
    private sealed class CoordinatorLink(CodebookCoordinator coordinator, string task, Guid epoch) : ICodebookGroupLink
    {
        public Task<CodebookSnapshot> Join() => System.Threading.Tasks.Task.FromResult(coordinator.Join(task, epoch));

        public Task Leave()
        {
            coordinator.Leave(task);
            return System.Threading.Tasks.Task.CompletedTask;
        }

        public Task<CodebookSnapshot> Snapshot(long sinceVersion) => System.Threading.Tasks.Task.FromResult(coordinator.Snapshot(sinceVersion));

        public Task<PushResult> Push(long baseVersion, long step, IReadOnlyDictionary<string, TensorPayload> gradients, bool skipped) =>
            coordinator.Offer(new GradientPush(task, baseVersion, step, gradients, skipped, epoch));
    }

    [Fact]
    public async Task A_task_trains_pushes_evaluates_and_checkpoints_to_the_end_and_a_new_activation_finds_it_completed()
    {
        var first = new Activation(this);
        var runtime = await first.SetUpAsync();
        while (!runtime.Session.Finished)
        {
            Assert.True(await first.Training.StepAsync(runtime));
        }
        await first.Training.FinishAsync(runtime);

        Assert.Equal(TaskState.Completed, first.Lifecycle.State);
        Assert.Equal([1L, 2L, 3L, 4L], first.Log.Points.Select(p => p.Step));
        Assert.Equal([2L, 4L], first.Log.Points.Where(p => p.Metric is not null).Select(p => p.Step));
        Assert.Equal(4 - runtime.Session.SkippedSteps, _coordinator.AppliedGradients);
        Assert.Equal((_coordinator.Version, _coordinator.Version), (first.Training.CodebookVersion, runtime.CodebookVersion));
        Assert.Empty(_coordinator.Members);
        Assert.NotEmpty(await _store.ListAsync(first.Checkpoints.BestScope));

        var second = new Activation(this);
        var restored = await second.SetUpAsync();

        Assert.Equal((TaskState.Completed, 4L), (second.Lifecycle.State, restored.Session.StepCount));
        Assert.Equal(first.Log.Points, second.Log.Points);
        Assert.Empty(_coordinator.Members);
    }

    [Fact]
    public async Task The_loop_sets_up_steps_to_the_end_and_finishes_and_a_new_activation_finds_nothing_to_do()
    {
        var first = new Activation(this);
        first.Lifecycle.Start();
        var moves = new List<TaskAdvance>();
        while (first.Lifecycle.Running)
        {
            moves.Add(await first.Training.AdvanceAsync(first.Runtime, first.Open));
        }

        Assert.Equal([TaskAdvance.Stepped, TaskAdvance.Stepped, TaskAdvance.Stepped, TaskAdvance.Stepped, TaskAdvance.Finished], moves);
        Assert.Equal((TaskState.Completed, 4L), (first.Lifecycle.State, first.Runtime!.Session.StepCount));
        Assert.Empty(_coordinator.Members);

        var second = new Activation(this);
        second.Lifecycle.Start();
        Assert.Equal(TaskAdvance.Stopped, await second.Training.AdvanceAsync(second.Runtime, second.Open));
        Assert.Equal((TaskState.Completed, 4L), (second.Lifecycle.State, second.Runtime!.Session.StepCount));
    }

    [Fact]
    public async Task A_paused_task_does_not_step_and_rejoins_its_group_before_its_next_step()
    {
        var activation = new Activation(this);
        activation.Lifecycle.Start();
        Assert.Equal(TaskAdvance.Stepped, await activation.Training.AdvanceAsync(activation.Runtime, activation.Open));
        Assert.True(activation.Lifecycle.Pause());
        await activation.Link.Leave();

        Assert.Equal(TaskAdvance.Stopped, await activation.Training.AdvanceAsync(activation.Runtime, activation.Open));
        Assert.Empty(_coordinator.Members);

        activation.Lifecycle.Resume();
        Assert.Equal(TaskAdvance.Stepped, await activation.Training.AdvanceAsync(activation.Runtime, activation.Open));
        Assert.Equal([Task], _coordinator.Members);
        Assert.Equal(2L, activation.Runtime!.Session.StepCount);
    }

    [Fact]
    public async Task An_activation_a_newer_one_replaced_retires_without_counting_its_step()
    {
        var old = new Activation(this);
        var runtime = await old.SetUpAsync();
        await new Activation(this).Link.Join();

        Assert.Equal(TaskAdvance.Retired, await old.Training.AdvanceAsync(runtime, () => throw new InvalidOperationException("set up twice")));

        Assert.Equal(0, _coordinator.AppliedGradients);
        Assert.Equal(TaskState.Running, old.Lifecycle.State);
    }

    [Fact]
    public async Task A_task_whose_group_closed_stops_as_cancelled_with_the_groups_reason()
    {
        var activation = new Activation(this);
        var runtime = await activation.SetUpAsync();
        _coordinator.Close();

        Assert.True(await activation.Training.StepAsync(runtime));

        Assert.Equal(TaskState.Cancelled, activation.Lifecycle.State);
        Assert.Contains("the job has ended", activation.Lifecycle.Error);
        Assert.Equal(TaskState.Cancelled, activation.Lifecycle.Final!.State);
    }

    [Fact]
    public async Task A_failed_task_leaves_its_group_so_no_round_waits_for_it()
    {
        var activation = new Activation(this);
        await activation.SetUpAsync();
        Assert.Equal([Task], _coordinator.Members);

        await activation.Training.LeaveAfterFailureAsync();

        Assert.Empty(_coordinator.Members);
    }
}
