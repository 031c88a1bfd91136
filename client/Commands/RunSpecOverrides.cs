using System.Globalization;
using Accept.Training.Prompts;

using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>
/// The command-line flags that override method and optimisation keys of a run spec
/// (<c>--prompt-length 60 --added dept --learning-rate 0.3 …</c>), shared by `train` and `params`.
/// Values arrive as text and are checked here, so errors name the flag.
/// </summary>
public static class RunSpecOverrides
{
    public static IReadOnlyList<OverrideFlag> Flags { get; } =
    [
        Int("--prompt-length", "method.prompt_length", "prompt length m", 1, (s, v) => s with { Method = s.Method with { PromptLength = v } }),
        Int("--scpp-sub-dim", "method.scpp.sub_dim", "SCPP sub-dimension t (must divide d)", 1, (s, v) => s with { Method = s.Method with { Scpp = s.Method.Scpp with { SubDim = v } } }),
        Int("--scpp-codebook-size", "method.scpp.codebook_size", "SCPP codewords per subspace r", 1, (s, v) => s with { Method = s.Method with { Scpp = s.Method.Scpp with { CodebookSize = v } } }),
        new("--added", "method.added.kind", "added side: scap, dept or none", (s, text) =>
            s with { Method = s.Method with { Added = s.Method.Added with { Kind = SpecEnum.Parse<AddedKind>(text, "--added") } } }),
        Int("--added-sub-dim", "method.added.sub_dim", "SCAP sub-dimension t′", 1, (s, v) => s with { Method = s.Method with { Added = s.Method.Added with { SubDim = v } } }),
        Int("--added-codebook-size", "method.added.codebook_size", "SCAP codewords per subspace r′", 1, (s, v) => s with { Method = s.Method with { Added = s.Method.Added with { CodebookSize = v } } }),
        Int("--added-rank", "method.added.rank", "DePT rank R", 1, (s, v) => s with { Method = s.Method with { Added = s.Method.Added with { Rank = v } } }),
        Double("--added-alpha", "method.added.alpha", "DePT scale α", false, (s, v) => s with { Method = s.Method with { Added = s.Method.Added with { Alpha = v } } }),
        Int("--max-length", "method.max_length", "input length l (inputs are padded to exactly l)", 1, (s, v) => s with { Method = s.Method with { MaxLength = v } }),
        Double("--learning-rate", "optimization.learning_rate", "learning rate of the prepended side", false, (s, v) => s with { Optimization = s.Optimization with { LearningRate = v } }),
        Double("--added-learning-rate", "optimization.added_learning_rate", "learning rate of the added side", false, (s, v) => s with { Optimization = s.Optimization with { AddedLearningRate = v } }),
        Int("--warmup-steps", "optimization.warmup_steps", "linear warm-up steps", 0, (s, v) => s with { Optimization = s.Optimization with { WarmupSteps = v } }),
        Int("--steps", "optimization.steps", "training steps", 1, (s, v) => s with { Optimization = s.Optimization with { Steps = v } }),
        Int("--batch-size", "optimization.batch_size", "examples per task per step", 1, (s, v) => s with { Optimization = s.Optimization with { BatchSize = v } }),
        Double("--grad-clip", "optimization.grad_clip", "global gradient-norm clip (0: none)", true, (s, v) => s with { Optimization = s.Optimization with { GradClip = v } }),
        Int("--eval-every", "optimization.eval_every", "evaluate every N steps", 1, (s, v) => s with { Optimization = s.Optimization with { EvalEvery = v } }),
        new("--seed", "optimization.seed", "random seed", (s, text) => s with { Optimization = s.Optimization with
        {
            Seed = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : throw new SpecException($"--seed: expected an integer, got \"{text}\""),
        } }),
    ];

    /// <summary>Applies the given flag values (flag name → text) in the order of <see cref="Flags"/>.</summary>
    public static RunSpec Apply(RunSpec spec, IReadOnlyDictionary<string, string> values)
    {
        foreach (var name in values.Keys)
            if (Flags.All(f => f.Name != name)) throw new SpecException($"{name}: not an override flag");
        foreach (var flag in Flags)
            if (values.TryGetValue(flag.Name, out var text)) spec = flag.Apply(spec, text);
        return spec;
    }

    private static OverrideFlag Int(string name, string path, string description, int min, Func<RunSpec, int, RunSpec> set) =>
        new(name, path, description, (s, text) =>
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
                throw new SpecException($"{name} ({path}): expected {(min > 0 ? "a positive" : "a non-negative")} integer, got \"{text}\"");
            return set(s, v);
        });

    private static OverrideFlag Double(string name, string path, string description, bool allowZero, Func<RunSpec, double, RunSpec> set) =>
        new(name, path, description, (s, text) =>
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0 || (!allowZero && v == 0))
                throw new SpecException($"{name} ({path}): expected {(allowZero ? "a non-negative" : "a positive")} number, got \"{text}\"");
            return set(s, v);
        });
}
