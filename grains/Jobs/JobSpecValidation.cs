using Accept.Training.Config;
using Accept.Training.T5;

namespace Accept.Grains.Jobs;

/// <summary>The checks a job grain runs on a submitted run spec before it creates anything.</summary>
public static class JobSpecValidation
{
    /// <summary>Reads the spec, and checks the method against the backbone's width when the backbone is visible here.</summary>
    /// <exception cref="ArgumentException">The spec is not one a job can train; the message names the key at fault.</exception>
    public static RunSpec Validate(string runSpecJson)
    {
        try
        {
            var spec = RunSpecReader.Parse(runSpecJson, "run spec");
            if (spec.Tasks.Count == 0)
            {
                throw new SpecException("run spec: tasks: at least one task is required");
            }
            if (spec.Backbone is null)
            {
                throw new SpecException("run spec: backbone: a backbone directory is required to train (`accept model init --out DIR` makes an untrained one)");
            }
            var config = Path.Combine(Path.GetFullPath(spec.Backbone), "config.json");
            if (File.Exists(config))
            {
                var backbone = T5Config.Load(config);
                spec.Method.ToLayout(backbone.DModel);
                StepMemoryEstimate.EnsureFits(spec, backbone);
            }
            return spec;
        }
        catch (Exception e) when (e is SpecException or ArgumentException or FormatException or InvalidDataException or IOException)
        {
            // Only plain exception types cross the wire intact: the message names the key at fault.
            throw new ArgumentException(e.Message);
        }
    }
}
