using Accept.Training.Checkpointing;
using Accept.Training.Config;
using Accept.Training.Prompts;
using Accept.Training.T5;

namespace Accept.Grains.Codebooks;

/// <summary>
/// Builds a codebook group from the run spec exactly as <c>CodebookGroups.Create</c> does (same seed,
/// options and transfer), but from the backbone's config.json alone: a codebook grain must not load every
/// task's data set, and the coordinator it may run on need not see the data.
/// </summary>
internal static class CodebookGroupFactory
{
    public static CodebookGroup Create(RunSpec spec, string groupName)
    {
        if (!spec.CodebookGroups.ContainsKey(groupName))
        {
            throw new ArgumentException($"codebook group '{groupName}' is not in the run spec (groups: {string.Join(", ", spec.CodebookGroups.Keys)})");
        }
        var backbone = spec.Backbone ?? throw new SpecException("backbone: no backbone directory given");
        var config = T5Config.Load(Path.Combine(Path.GetFullPath(backbone), "config.json"));
        var layout = spec.Method.ToLayout(config.DModel);
        var transfer = spec.Transfer;
        var group = new CodebookGroup(groupName, layout, spec.Optimization.CodebookOptions(transfer?.FreezeCodebooks ?? false), spec.Optimization.Seed);
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
