using System.Globalization;
using System.Text.Json;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Grains.Checkpoints;
using Accept.Grains.Hosting;
using Accept.Training.Checkpointing.Store;
using Accept.Grains.Placement;
using Accept.Grains.Telemetry;
using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Accept.Grains.Codebooks;

/// <summary>
/// Owns one codebook group: an Orleans adapter over <see cref="CodebookCoordinator"/>, which holds the
/// protocol (rounds, membership, de-duplication, epochs). Reentrant, and no call waits long: a sync push
/// waits for its round at most <see cref="AcceptSiloOptions.PushWaitSeconds"/> (under a call's timeout) and then answers
/// <see cref="PushResult.Pending"/>, so status, join and close calls are never stuck behind an open round.
/// A group that checkpointed comes back from its checkpoint on whichever silo activates it next.
/// </summary>
[Reentrant]
[PreferCoordinatorPlacement]
public sealed class CodebookGrain(ICheckpointStore store, AcceptMetrics metrics, IOptions<AcceptSiloOptions> options, ILogger<CodebookGrain> logger)
    : Grain, ICodebookGrain
{
    private const string GroupPart = CheckpointParts.Codebook;
    private const string StatePart = "state";

    private readonly SerializedCheckpointWriter _writer = new(store, logger);
    private CodebookGroupSpec? _spec;
    private CodebookGroup? _group;
    private CodebookCoordinator? _coordinator;
    private Task? _initializing;
    private long _savedVersion = -1;

    private string JobId => GrainKeys.Split(this.GetPrimaryKeyString()).JobId;

    private string GroupName => GrainKeys.Split(this.GetPrimaryKeyString()).Name;

    private CheckpointScope Scope => new(JobId, CheckpointOwners.Codebook(GroupName));

    private CodebookCoordinator Coordinator => _coordinator
        ?? throw new InvalidOperationException($"Codebook group '{this.GetPrimaryKeyString()}' is not initialised: the job grain calls Initialize first.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A group that checkpointed before (this activation follows a restart or a lost silo) comes back on its own.
        if (CheckpointIdentifier.IsValid(JobId))
        {
            _initializing = RestoreAsync(cancellationToken);
            await _initializing;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _coordinator?.Dispose();
        _group?.Dispose();
        return _writer.Completion;
    }

    public async Task<CodebookStatus> Initialize(CodebookGroupSpec spec)
    {
        if (spec.JobId != JobId || spec.Group != GroupName)
        {
            throw new ArgumentException($"Codebook grain '{this.GetPrimaryKeyString()}' got the spec of '{spec.JobId}/{spec.Group}'.");
        }
        if (_initializing is not null)
        {
            await _initializing;
        }
        if (_coordinator is null)
        {
            _initializing = CreateAsync(spec);
            await _initializing;
        }
        return Coordinator.Status();
    }

    public Task<CodebookSnapshot> Join(string taskId, Guid epoch) => Task.FromResult(Coordinator.Join(taskId, epoch));

    public Task Leave(string taskId)
    {
        var wasMember = Coordinator.Members.Contains(taskId);
        Coordinator.Leave(taskId);
        // The last member leaving (every task finished): the group's final state is checkpointed even when
        // checkpoint_every does not divide the steps — only when the version moved since the last save, since
        // a duplicate would push an older version out of the kept ones.
        if (wasMember && Coordinator.Members.Count == 0 && _group!.Version != _savedVersion)
        {
            Coordinator.TakeSaveDue();
            return SaveAsync();
        }
        return SaveIfDue();
    }

    public Task<CodebookSnapshot> GetSnapshot(long sinceVersion) => Task.FromResult(Coordinator.Snapshot(sinceVersion));

    public async Task<PushResult> PushGradient(GradientPush push)
    {
        var answer = Coordinator.Offer(push);
        await SaveIfDue();
        try
        {
            return await answer.WaitAsync(TimeSpan.FromSeconds(options.Value.PushWaitSeconds));
        }
        catch (TimeoutException)
        {
            // Still in its open round: the task pushes the same gradient again to keep waiting.
            return new PushResult(true, Coordinator.Version, PushRejectCode.None, null, null, Pending: true);
        }
    }

    public async Task Close()
    {
        Coordinator.Close();
        // Idempotent, and like the first call it returns once the closed state is durable.
        await SaveIfDue();
        await _writer.Completion;
    }

    public Task<CodebookStatus> GetStatus() => Task.FromResult(Coordinator.Status());

    private IDisposable StartRoundTimer(long round) => this.RegisterGrainTimer(_ => OnRoundTimeout(round), new GrainTimerCreationOptions
    {
        DueTime = _spec!.RoundTimeout,
        Period = Timeout.InfiniteTimeSpan,
        Interleave = true,
    });

    private Task OnRoundTimeout(long round)
    {
        var dropped = Coordinator.TimeOut(round);
        if (dropped.Count > 0)
        {
            logger.LogWarning("Group {Group}: round {Round} timed out after {Timeout}; dropping {Late} until they rejoin",
                GroupName, round, _spec!.RoundTimeout, string.Join(", ", dropped));
        }
        return SaveIfDue();
    }

    private Task SaveIfDue() => Coordinator.TakeSaveDue() ? SaveAsync() : Task.CompletedTask;

    private async Task CreateAsync(CodebookGroupSpec spec)
    {
        var run = RunSpecReader.Parse(spec.RunSpecJson, "run spec");
        var group = NewGroup(run, spec.Group);
        if (await store.LoadLatestAsync(Scope) is { } resumed)
        {
            // A resumed run: the group's codebooks as the earlier run left them.
            using var checkpoint = CodebookCheckpoint.FromBytes(resumed.Content.Parts[GroupPart], $"{Scope} {resumed.Info.ObjectName}");
            checkpoint.Restore(group);
        }
        // Sync rounds wait for every task of the group from the first round on.
        Open(spec, run, group, CodebookCoordinatorState.New(run.CodebookGroups[spec.Group]));
        await SaveAsync();
        logger.LogInformation("Group {Group} of job {Job} created ({Mode}, members {Members})", GroupName, JobId, run.Aggregation.Mode,
            string.Join(", ", Coordinator.Members));
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadLatestAsync(Scope, cancellationToken);
        if (loaded is null)
        {
            return;
        }
        if (!loaded.Content.Parts.ContainsKey(StatePart))
        {
            // Written by the in-process trainer or copied for a resumed run: Initialize builds the group from the spec and restores it.
            return;
        }
        var state = JsonSerializer.Deserialize<CodebookGrainState>(loaded.Content.Parts[StatePart])
            ?? throw new InvalidDataException($"Checkpoint {Scope} holds no codebook grain state.");
        var run = RunSpecReader.Parse(state.Spec.RunSpecJson, "run spec");
        var group = NewGroup(run, state.Spec.Group);
        using (var checkpoint = CodebookCheckpoint.FromBytes(loaded.Content.Parts[GroupPart], $"{Scope} {loaded.Info.ObjectName}"))
        {
            checkpoint.Restore(group);
        }
        Open(state.Spec, run, group, new CodebookCoordinatorState(state.Members, state.LastSteps, state.AppliedGradients, state.Rounds, state.Closed));
        logger.LogInformation("Group {Group} of job {Job} restored at version {Version} from {Checkpoint}", GroupName, JobId, group.Version, loaded.Info.ObjectName);
    }

    private void Open(CodebookGroupSpec spec, RunSpec run, CodebookGroup group, CodebookCoordinatorState state)
    {
        _spec = spec;
        _group = group;
        _coordinator = new CodebookCoordinator(group, CodebookRules.From(run), state, StartRoundTimer, metrics, JobId);
    }

    /// <summary>
    /// The group as the in-process trainer builds it, with the layout from the backbone's config.json alone:
    /// a codebook grain must not load every task's data, and the coordinator it may run on need not see it.
    /// </summary>
    private static CodebookGroup NewGroup(RunSpec run, string groupName)
    {
        var backbone = run.Backbone ?? throw new SpecException("backbone: no backbone directory given");
        var config = T5Config.Load(Path.Combine(Path.GetFullPath(backbone), "config.json"));
        return CodebookGroups.Create(run, run.Method.ToLayout(config.DModel), groupName);
    }

    /// <summary>Captures the state now (synchronously) and chains the write after any earlier one.</summary>
    private Task SaveAsync()
    {
        byte[] tensors;
        using (var checkpoint = CodebookCheckpoint.Capture(_group!))
        {
            tensors = checkpoint.ToBytes();
        }
        var coordinator = Coordinator.State();
        var state = JsonSerializer.SerializeToUtf8Bytes(new CodebookGrainState(_spec!, coordinator.Members, coordinator.LastSteps,
            coordinator.AppliedGradients, coordinator.Rounds, coordinator.Closed));
        _savedVersion = _group!.Version;
        var content = new CheckpointContent(
            new Dictionary<string, byte[]> { [GroupPart] = tensors, [StatePart] = state },
            new Dictionary<string, string> { ["version"] = _group!.Version.ToString(CultureInfo.InvariantCulture) });
        return _writer.Save(Scope, content);
    }
}
