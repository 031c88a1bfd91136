using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>Builds a run's codebook groups the same way in every process: initialisation from the run's seed and the group's name, or from a transfer source.</summary>
public static class CodebookGroups
{
    public static CodebookGroup Create(RunContext context, string groupName, Device? device = null) =>
        Create(context.Spec, context.Layout, groupName, device);

    /// <summary>
    /// From the spec and the layout alone, for a process that must not load the run's data (a codebook
    /// grain): the spec gives the seed, optimizer and transfer, the layout the codebooks' shapes.
    /// </summary>
    public static CodebookGroup Create(RunSpec spec, PromptLayout layout, string groupName, Device? device = null)
    {
        if (!spec.CodebookGroups.ContainsKey(groupName))
            throw new ArgumentException($"codebook group '{groupName}' is not in the run spec (groups: {string.Join(", ", spec.CodebookGroups.Keys)})");
        var transfer = spec.Transfer;
        var options = spec.Optimization.CodebookOptions(transfer?.FreezeCodebooks ?? false);
        var group = new CodebookGroup(groupName, layout, options, spec.Optimization.Seed, device: device);
        try
        {
            if (transfer is { Codebooks: true })
            {
                using var source = TransferSource.Codebooks(transfer.Source, groupName);
                group.InitialiseFrom(source.Codebooks);
            }
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }
}
