using Accept.Training.Data;
using Accept.Training.Engine;
using Accept.Training.Optim;
using Accept.Training.Prompts;
using Accept.Training.T5;
using TorchSharp;

namespace Accept.Tests.Engine;

/// <summary>A long run must not accumulate tensors: every step and update disposes what it creates.</summary>
[Trait("Category", "Fast")]
public class StepMemoryTests
{
    [Fact]
    public void StepsAndCodebookUpdatesLeaveNoLiveTensorsBehind()
    {
        var config = new T5Config { VocabSize = 32, DModel = 16, DKv = 4, DFf = 32, NumHeads = 2, NumLayers = 1, NumDecoderLayers = 1 };
        var layout = new PromptLayout { DModel = 16, PromptLength = 3, MaxLength = 6, ScppSubDim = 4, ScppCodebookSize = 3, Added = AddedKind.Scap, AddedSubDim = 8, AddedCodebookSize = 2 }.Validated();
        var tokenizer = new WordTokenizer("a b c yes no".Split(' '));
        using var backbone = T5Model.CreateRandom(config, 1);
        using var group = new CodebookGroup("g", layout, new CodebookGroupOptions(new LinearSchedule(0.3, 2, 50), new LinearSchedule(0.01, 2, 50)), 1);
        using var adapter = new TaskAdapter("t", layout, 1);
        using var batch = new Batcher(tokenizer, 6, 6, 3).Build([new Example("a b", "yes"), new Example("c", "no")]);

        void Run(int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                using var outcome = TaskStepper.Step(backbone, adapter, group.Codebooks, batch, 0.3f, 0.01f);
                group.Apply(outcome.CodebookGradients);
                TaskStepper.Loss(backbone, adapter, group.Codebooks, batch);
            }
        }

        Run(2);
        var stats = DisposeScopeManager.Statistics;
        long before = stats.ThreadTotalLiveCount;
        Run(10);
        Assert.Equal(before, stats.ThreadTotalLiveCount);
    }
}
