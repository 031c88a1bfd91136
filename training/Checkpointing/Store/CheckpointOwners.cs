using System.Security.Cryptography;
using System.Text;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// Checkpoint owner names for tasks, codebook groups and jobs. Task and group names allow upper case and
/// up to 64 characters, which identifiers do not; such names become a lower-case prefix plus a hash of
/// the exact name, so "RTE" and "rte" never share a scope.
/// </summary>
public static class CheckpointOwners
{
    public const string Job = "job";

    public static string Task(string taskName) => Owner("task-", taskName);

    public static string Codebook(string groupName) => Owner("codebook-", groupName);

    /// <summary>
    /// The codebook group's state after every round, so a group restored on another silo never goes back in
    /// version; the <see cref="Codebook"/> scope keeps the checkpoint_every ones that task checkpoints match.
    /// </summary>
    public static string CodebookRound(string groupName) => Owner("round-codebook-", groupName);

    /// <summary>The task's state and its group's codebooks at its best evaluation (one object, so the pair is atomic).</summary>
    public static string Best(string taskName) => Owner("best-task-", taskName);

    private static string Owner(string prefix, string name)
    {
        var plain = prefix + name;
        if (CheckpointIdentifier.IsValid(plain) && name == name.ToLowerInvariant())
        {
            return plain;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
        var cleaned = new string(name.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '-').ToArray());
        var room = 63 - prefix.Length - hash.Length - 1;
        return $"{prefix}{cleaned[..Math.Min(room, cleaned.Length)]}-{hash}";
    }
}
