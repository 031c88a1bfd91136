using Accept.Training.Checkpointing;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;
using TinyRun = Accept.Tests.MultiTask.TinyRun;

namespace Accept.Tests.Checkpointing;

/// <summary>The reference of the resume tests: the tiny spec (6 steps, checkpoints every 2) trained without interruption, and the comparison of final states.</summary>
internal static class ResumeEquality
{
    public const string Extra = "\"checkpoint_every\": 2";

    public static string Uninterrupted(TinyRun tiny)
    {
        using var backbone = T5Model.Load(tiny.Backbone);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "whole");
        using var trainer = MultiTaskTrainer.Start(tiny.Context(extra: Extra), backbone, run);
        trainer.Train();
        return run.Path;
    }

    /// <summary>Every task's last state (weights, moments) and its codebooks agree to 1e-5.</summary>
    public static void AssertSameFinalState(string expectedRun, string actualRun, Accept.Training.Checkpointing.Store.ICheckpointStore? actualStore = null)
    {
        using var scope = NewDisposeScope();
        foreach (var task in new[] { "mood", "copy" })
        {
            using var expected = RunCheckpointReader.Open(expectedRun).LoadTask(task, CheckpointChoice.Last);
            using var actual = RunCheckpointReader.Open(actualRun, actualStore).LoadTask(task, CheckpointChoice.Last);
            Assert.Equal(6, actual.Step);
            foreach (var (name, t) in expected.State.Tensors)
                Assert.True(t.allclose(actual.State.Tensors[name], rtol: 1e-5, atol: 1e-5), $"{task} {name}");
            foreach (var (name, c) in expected.Codebooks.Codebooks)
                Assert.True(c.allclose(actual.Codebooks.Codebooks[name], rtol: 1e-5, atol: 1e-5), $"{task} codebook {name}");
        }
    }
}
