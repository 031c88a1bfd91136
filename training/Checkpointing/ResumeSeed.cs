using System.Globalization;
using Accept.Training.Checkpointing.Store;

namespace Accept.Training.Checkpointing;

/// <summary>
/// Starts a new job's scopes from a <see cref="ResumePoint"/>: each task's and group's state as the
/// in-process trainer writes them (no grain-private parts, so the grains rebuild members and counters from
/// the spec), and each task's best checkpoint as it is. A cluster resumes a run as a new job seeded this way,
/// in whatever store the cluster uses, so no stale grain of the old job is involved.
/// </summary>
public static class ResumeSeed
{
    public static async Task WriteAsync(ResumePoint point, RunCheckpointReader from, ICheckpointStore to, string job, CancellationToken cancellationToken = default)
    {
        foreach (var (task, state) in point.Tasks)
        {
            var group = from.GroupOf(task);
            await to.SaveAsync(new CheckpointScope(job, CheckpointOwners.Task(task)), new CheckpointContent(
                new Dictionary<string, byte[]> { [CheckpointParts.Task] = state.ToBytes() },
                new Dictionary<string, string>
                {
                    [CheckpointParts.Step] = state.State.Step.ToString(CultureInfo.InvariantCulture),
                    [CheckpointParts.CodebookVersion] = point.Groups[group].Version.ToString(CultureInfo.InvariantCulture),
                    [CheckpointParts.State] = CheckpointParts.Running,
                }), cancellationToken);
            var best = await BestOrNull(from, task, cancellationToken);
            if (best is not null) await to.SaveAsync(new CheckpointScope(job, CheckpointOwners.Best(task)), best.Content, cancellationToken);
        }
        foreach (var (group, state) in point.Groups)
        {
            await to.SaveAsync(new CheckpointScope(job, CheckpointOwners.Codebook(group)), new CheckpointContent(
                new Dictionary<string, byte[]> { [CheckpointParts.Codebook] = state.ToBytes() },
                new Dictionary<string, string> { [CheckpointParts.Version] = state.Version.ToString(CultureInfo.InvariantCulture) }), cancellationToken);
        }
    }

    /// <summary>A job id for the resumed run: the old one with a short suffix, within the identifier's 63 characters.</summary>
    public static string NextJobId(string job)
    {
        var suffix = $"-r{Guid.NewGuid().ToString("N")[..4]}";
        var stem = System.Text.RegularExpressions.Regex.Replace(job, "-r[0-9a-f]{4}$", "");
        return (stem.Length + suffix.Length > 63 ? stem[..(63 - suffix.Length)] : stem) + suffix;
    }

    private static async Task<LoadedCheckpoint?> BestOrNull(RunCheckpointReader from, string task, CancellationToken cancellationToken)
    {
        try
        {
            return await from.Store.LoadLatestAsync(new CheckpointScope(from.Location.Job, CheckpointOwners.Best(task)), cancellationToken);
        }
        catch (CheckpointCorruptException)
        {
            return null;
        }
    }
}
