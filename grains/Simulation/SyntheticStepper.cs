using System.Runtime.InteropServices;
using Accept.GrainInterfaces.Simulation;
using Accept.GrainInterfaces.Tensors;

namespace Accept.Grains.Simulation;

/// <summary>
/// A synthetic task step: a gradient shaped like the group's codebooks (uniform in ±1e-3, drawn once from the
/// seed and the task's index) and a step time (<see cref="SimulationSpec.StepMs"/>, or a straggler's
/// <see cref="SimulationSpec.StragglerMs"/> with probability <see cref="SimulationSpec.StragglerP"/>), both
/// deterministic from the seed.
/// </summary>
public sealed class SyntheticStepper
{
    private readonly SimulationSpec _spec;
    private readonly Random _times;

    public SyntheticStepper(SimulationSpec spec, IReadOnlyDictionary<string, TensorPayload> codebooks)
    {
        _spec = spec;
        _times = new Random(unchecked(spec.Seed * 1_000_003 + spec.Index * 2));
        var values = new Random(unchecked(spec.Seed * 1_000_003 + spec.Index * 2 + 1));
        Gradients = codebooks.ToDictionary(c => c.Key, c =>
        {
            var bytes = new byte[c.Value.Shape.Aggregate(1L, (a, b) => a * b) * sizeof(float)];
            var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = (float)((values.NextDouble() * 2 - 1) * 1e-3);
            }
            return new TensorPayload("float32", c.Value.Shape, bytes);
        });
    }

    /// <summary>The task's gradient (the same every step: the coordination, not the optimisation, is measured).</summary>
    public IReadOnlyDictionary<string, TensorPayload> Gradients { get; }

    public long GradientBytes => Gradients.Values.Sum(g => (long)g.Data.Length);

    /// <summary>The next step's time in milliseconds.</summary>
    public double NextStepMs() => _spec.StragglerP > 0 && _times.NextDouble() < _spec.StragglerP ? _spec.StragglerMs : _spec.StepMs;
}
