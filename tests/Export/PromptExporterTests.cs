using System.Text.Json;
using Accept.Tests.MultiTask;
using Accept.Training.Checkpointing;
using Accept.Training.Export;
using Accept.Training.IO;
using Accept.Training.MultiTask;
using Accept.Training.Prompts;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Tests.Export;

[Trait("Category", "Fast")]
public class PromptExporterTests
{
    private static string Train(TinyRun tiny, string added)
    {
        using var backbone = T5Model.Load(tiny.Backbone);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "export");
        using var trainer = MultiTaskTrainer.Start(tiny.Context(added: added), backbone, run);
        trainer.Train();
        return run.Path;
    }

    [Fact]
    public void ExportedPromptIsTheCompositionOfTheBestCheckpointsWeightsAndCodebooks()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var run = Train(tiny, "\"kind\": \"scap\", \"sub_dim\": 8, \"codebook_size\": 2");
        var output = Path.Combine(tiny.Root, "out");
        var exported = PromptExporter.Export(run, output);
        Assert.Equal(["mood", "copy"], exported.Select(e => e.Task));

        using var best = RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Best);
        Assert.Equal(CheckpointChoice.Best, best.Which);
        var state = best.State;
        var group = best.Codebooks;
        var w = state.Tensors[PromptTensorNames.ScppWeights];   // (m, K, r)
        var c = group.Tensors[PromptTensorNames.ScppCodebook];  // (K, r, t)
        var expected = (w.unsqueeze(-1) * c.unsqueeze(0)).sum(2).reshape(w.shape[0], -1); // (m, K·t)
        var wa = state.Tensors[PromptTensorNames.ScapWeights];
        var ca = group.Tensors[PromptTensorNames.ScapCodebook];
        var expectedAdded = (wa.unsqueeze(-1) * ca.unsqueeze(0)).sum(2).reshape(wa.shape[0], -1); // (l, d)

        using (var prompts = SafetensorsFile.Open(Path.Combine(output, "mood", PromptExporter.PromptsFile)))
        {
            var p = prompts.Read(PromptExporter.PrependedName);
            Assert.Equal(new long[] { 4, 64 }, p.shape);
            Assert.True(p.allclose(expected, rtol: 1e-5, atol: 1e-6));
            var added = prompts.Read(PromptExporter.AddedName);
            Assert.Equal(new long[] { 12, 64 }, added.shape);
            Assert.True(added.allclose(expectedAdded, rtol: 1e-5, atol: 1e-6));
            Assert.Equal(best.Step.ToString(), prompts.Metadata["step"]);
        }
        using (var peft = SafetensorsFile.Open(Path.Combine(output, "mood", "peft", PeftPromptAdapter.WeightsFile)))
            Assert.True(peft.Read(PeftPromptAdapter.TensorName).allclose(expected, rtol: 1e-5, atol: 1e-6));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "mood", "peft", PeftPromptAdapter.ConfigFile)));
        var root = config.RootElement;
        Assert.Equal("PROMPT_TUNING", root.GetProperty("peft_type").GetString());
        Assert.Equal("SEQ_2_SEQ_LM", root.GetProperty("task_type").GetString());
        Assert.Equal(4, root.GetProperty("num_virtual_tokens").GetInt32());
        Assert.Equal(64, root.GetProperty("token_dim").GetInt32());
        Assert.Equal(1, root.GetProperty("num_transformer_submodules").GetInt32());
        Assert.Equal(tiny.Backbone, root.GetProperty("base_model_name_or_path").GetString());
    }

    [Fact]
    public void DeptAddedPromptIsScaledLowRankProduct()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var run = Train(tiny, "\"kind\": \"dept\", \"rank\": 2, \"alpha\": 8");
        var output = Path.Combine(tiny.Root, "out");
        var exported = Assert.Single(PromptExporter.Export(run, output, "copy"));
        Assert.Equal(new long[] { 12, 64 }, exported.AddedShape);
        using var best = RunCheckpointReader.Open(run).LoadTask("copy", CheckpointChoice.Best);
        var state = best.State;
        var a = state.Tensors[PromptTensorNames.DeptA];
        var b = state.Tensors[PromptTensorNames.DeptB];
        var expected = (a.shape[0] == 12 ? a.matmul(b) : b.matmul(a)) * (8 / Math.Sqrt(2));
        using var prompts = SafetensorsFile.Open(Path.Combine(output, "copy", PromptExporter.PromptsFile));
        Assert.True(prompts.Read(PromptExporter.AddedName).allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.False(Directory.Exists(Path.Combine(output, "mood")));
        Assert.Contains("no task 'nope'", Assert.Throws<ArgumentException>(() => PromptExporter.Export(run, output, "nope")).Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRefusedAndNothingIsWritten()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        using var backbone = T5Model.Load(tiny.Backbone);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "nan");
        using (var trainer = MultiTaskTrainer.Start(tiny.Context("\"steps\": 2, \"eval_every\": 2"), backbone, run))
        {
            using (no_grad()) trainer.Sessions["copy"].Adapter.Weights[PromptTensorNames.ScppWeights].fill_(double.NaN);
            trainer.Train();
        }
        var output = Path.Combine(tiny.Root, "out");
        var e = Assert.Throws<InvalidDataException>(() => PromptExporter.Export(run.Path, output, "copy", CheckpointChoice.Last));
        Assert.Contains("task 'copy': P at step 2", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.False(File.Exists(Path.Combine(output, "copy", PromptExporter.PromptsFile)));
    }
}
