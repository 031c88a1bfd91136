using Accept.Training.Checkpointing;
using Accept.Training.Prompts;
using static TorchSharp.torch;

namespace Accept.Training.MultiTask;

/// <summary>Builds a run's codebook groups the same way in every process: initialisation from the run's seed and the group's name, or from a transfer source.</summary>
public static class CodebookGroups
{
    public static CodebookGroup Create(RunContext context, string groupName, Device? device = null)
    {
        if (!context.Spec.CodebookGroups.ContainsKey(groupName))
            throw new ArgumentException($"codebook group '{groupName}' is not in the run spec (groups: {string.Join(", ", context.Spec.CodebookGroups.Keys)})");
        var transfer = context.Spec.Transfer;
        var options = context.Spec.Optimization.CodebookOptions(transfer?.FreezeCodebooks ?? false);
        var group = new CodebookGroup(groupName, context.Layout, options, context.Spec.Optimization.Seed, device: device);
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
