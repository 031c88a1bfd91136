using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.T5;

namespace Accept.Grains.Codebooks;

/// <summary>A codebook group as it opens: its spec, run spec, codebooks and the coordinator's starting state.</summary>
/// <param name="From">The checkpoint it was restored from, or null for a new group.</param>
internal sealed record OpenedGroup(CodebookGroupSpec Spec, RunSpec Run, CodebookGroup Group, CodebookCoordinatorState State, string? From = null)
{
    /// <summary>The coordinator's rules: the run spec's, with the cluster's round deadline.</summary>
    public CodebookRules Rules => CodebookRules.From(Run) with { RoundDeadline = Spec.RoundDeadline };
}

/// <summary>
/// How a codebook grain's group comes to be: created from its spec (a resumed run's codebooks restored from the
/// latest checkpoint_every checkpoint), or restored whole — codebooks and coordinator state — from the newer of its
/// checkpoint scopes when its activation follows a restart or a lost silo.
/// </summary>
internal static class CodebookGroupOpening
{
    /// <summary>A new group: sync rounds wait for every task of the group from the first round on.</summary>
    public static async Task<OpenedGroup> CreateAsync(CodebookGroupSpec spec, CodebookGroupCheckpoints checkpoints)
    {
        var run = RunSpecReader.Parse(spec.RunSpecJson, "run spec");
        var group = NewGroup(run, spec.Group);
        if (await checkpoints.LoadLatestAsync() is { } resumed)
        {
            // A resumed run: the group's codebooks as the earlier run left them.
            checkpoints.Restore(resumed, group);
        }
        return new OpenedGroup(spec, run, group, CodebookCoordinatorState.New(run.CodebookGroups[spec.Group]));
    }

    /// <summary>
    /// The group its checkpoints hold, or null when they hold no grain state (none yet, or written by the in-process
    /// trainer or copied for a resumed run: Initialize then builds the group from the spec and restores its codebooks).
    /// </summary>
    public static async Task<OpenedGroup?> RestoreAsync(CodebookGroupCheckpoints checkpoints, CancellationToken cancellationToken = default)
    {
        if (await checkpoints.LoadNewestAsync(cancellationToken) is not { } loaded || checkpoints.StateOf(loaded) is not { } state)
        {
            return null;
        }
        var run = RunSpecReader.Parse(state.Spec.RunSpecJson, "run spec");
        var group = NewGroup(run, state.Spec.Group);
        checkpoints.Restore(loaded, group);
        checkpoints.Restored(state);
        return new OpenedGroup(state.Spec, run, group,
            new CodebookCoordinatorState(state.Members, state.LastSteps, state.AppliedGradients, state.Rounds, state.Closed), loaded.Info.ObjectName);
    }

    /// <summary>
    /// The group as the in-process trainer builds it, with the layout from the backbone's config.json alone:
    /// a codebook grain must not load every task's data, and the coordinator it may run on need not see it.
    /// </summary>
    public static CodebookGroup NewGroup(RunSpec run, string groupName)
    {
        var backbone = run.Backbone ?? throw new SpecException("backbone: no backbone directory given");
        var config = T5Config.Load(Path.Combine(Path.GetFullPath(backbone), "config.json"));
        return CodebookGroups.Create(run, run.Method.ToLayout(config.DModel), groupName);
    }
}
