using Accept.Training.Config;
using Accept.Training.IO;

namespace Accept.Client.Commands;

/// <summary>The spec a resumed run continues with: its own spec.json, where only <c>--steps</c> may change (it is then written back).</summary>
internal static class ResumeSpec
{
    public static RunSpec Read(string runDirectory, Func<RunSpec, RunSpec> applyOverrides)
    {
        var file = Path.Combine(runDirectory, "spec.json");
        if (!File.Exists(file)) throw new SpecException($"--resume: {runDirectory} is not a run directory (spec.json missing)");
        var saved = RunSpecReader.Read(file);
        var wanted = applyOverrides(saved);
        if (ReferenceEquals(wanted, saved)) return saved;
        if (!(wanted with { Optimization = wanted.Optimization with { Steps = saved.Optimization.Steps } }).Equals(saved))
            throw new SpecException("--resume continues a run exactly as it was specified; only --steps may change");
        AtomicFile.WriteAllText(file, RunSpecWriter.ToJson(wanted));
        return wanted;
    }
}
