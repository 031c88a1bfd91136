using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.Training.Checkpointing.Store;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>After a run: loads the newest checkpoint of every scope of the job (the job, each task, each codebook group) through the product's store and counts what fails verification.</summary>
internal static class CheckpointAudit
{
    public static async Task<int> CountCorruptAsync(string root, string jobId, JobResults? results, IEnumerable<PushEvent> journal, CancellationToken cancel)
    {
        var store = CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Directory, Root = root });
        var owners = new HashSet<string>(StringComparer.Ordinal) { CheckpointOwners.Job };
        foreach (var task in results?.Tasks.Select(t => t.TaskName) ?? journal.Select(p => p.Task))
        {
            owners.Add(CheckpointOwners.Task(task));
        }
        foreach (var group in journal.Select(p => GrainKeys.Split(p.Group).Name).Distinct())
        {
            owners.Add(CheckpointOwners.Codebook(group));
        }
        var corrupt = 0;
        foreach (var owner in owners)
        {
            try
            {
                var loaded = await store.LoadLatestAsync(new CheckpointScope(jobId, owner), cancel);
                corrupt += loaded?.Skipped.Count ?? 0;
            }
            catch (CheckpointCorruptException)
            {
                corrupt += (await store.ListAsync(new CheckpointScope(jobId, owner), cancel)).Count;
            }
        }
        return corrupt;
    }
}
