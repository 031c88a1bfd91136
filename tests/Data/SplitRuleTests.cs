using Accept.Training.Data;
using Accept.Training.Data.Paper;

namespace Accept.Tests.Data;

/// <summary>The paper's split rules: sizes, determinism for a seed, disjointness, and caps.</summary>
[Trait("Category", "Fast")]
public sealed class SplitRuleTests : IDisposable
{
    private readonly DataFixture data = new();

    public void Dispose() => data.Dispose();

    private void WriteRte(int train, int dev)
    {
        const string header = "index\tsentence1\tsentence2\tlabel";
        data.WriteLines("RTE/train.tsv", [header, .. Enumerable.Range(0, train).Select(i => $"{i}\ttrain {i}\th\tentailment")]);
        data.WriteLines("RTE/dev.tsv", [header, .. Enumerable.Range(0, dev).Select(i => $"{i}\tdev {i}\th\tnot_entailment")]);
    }

    private void WriteSst2(int train, int dev)
    {
        data.WriteLines("SST-2/train.tsv", ["sentence\tlabel", .. Enumerable.Range(0, train).Select(i => $"train {i}\t{i % 2}")]);
        data.WriteLines("SST-2/dev.tsv", ["sentence\tlabel", .. Enumerable.Range(0, dev).Select(i => $"dev {i}\t{i % 2}")]);
    }

    [Fact]
    public void Small_task_halves_validation_into_disjoint_validation_and_test_and_keeps_train()
    {
        WriteRte(train: 20, dev: 11);

        var task = PaperTasks.Load("rte", data.Root, new TaskLoadOptions { Seed = 7 });

        Assert.Equal(20, task.Train.Count);
        Assert.Equal(5, task.Validation.Count);
        Assert.Equal(6, task.Test.Count);
        Assert.Empty(task.Validation.Intersect(task.Test));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"sentence1: dev {i} sentence2: h").Order(),
            task.Validation.Concat(task.Test).Select(e => e.Input).Order());
        Assert.All(task.Train, e => Assert.Contains("train", e.Input));
    }

    [Fact]
    public void Large_task_moves_1000_training_examples_to_validation_and_tests_on_validation()
    {
        WriteSst2(train: 1500, dev: 40);

        var task = PaperTasks.Load("sst2", data.Root, new TaskLoadOptions());

        Assert.Equal(500, task.Train.Count);
        Assert.Equal(1000, task.Validation.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"sentence: dev {i}"), task.Test.Select(e => e.Input));
        Assert.Empty(task.Train.Intersect(task.Validation));
        Assert.Equal(1500, task.Train.Concat(task.Validation).Select(e => e.Input).Distinct().Count());
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        WriteRte(train: 10, dev: 200);

        var first = PaperTasks.Load("rte", data.Root, new TaskLoadOptions { Seed = 1 });
        var again = PaperTasks.Load("rte", data.Root, new TaskLoadOptions { Seed = 1 });
        var other = PaperTasks.Load("rte", data.Root, new TaskLoadOptions { Seed = 2 });

        Assert.Equal(first.Validation, again.Validation);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Validation, other.Validation);
    }

    [Fact]
    public void Caps_bound_each_split_with_a_sample_of_it()
    {
        WriteSst2(train: 1300, dev: 50);

        var task = PaperTasks.Load("sst2", data.Root, new TaskLoadOptions { Caps = new SplitCaps(MaxTrain: 100, MaxValidation: 30, MaxTest: 10) });
        var full = PaperTasks.Load("sst2", data.Root, new TaskLoadOptions());

        Assert.Equal(100, task.Train.Count);
        Assert.Equal(30, task.Validation.Count);
        Assert.Equal(10, task.Test.Count);
        Assert.Subset(full.Train.ToHashSet(), task.Train.ToHashSet());
        Assert.Subset(full.Test.ToHashSet(), task.Test.ToHashSet());
    }
}
