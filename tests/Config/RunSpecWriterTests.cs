using Accept.Training.Config;
using Accept.Training.Data.Demo;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;
using Accept.Training.Prompts;
using CsCheck;

namespace Accept.Tests.Config;

/// <summary>The writer and the reader share one JSON document type and one set of options: any valid spec written reads back to itself.</summary>
[Trait("Category", "Fast")]
public sealed class RunSpecWriterTests
{
    private static readonly Gen<string> Text = Gen.String.Where(s => !string.IsNullOrWhiteSpace(s) && !s.Any(char.IsSurrogate));

    private static Gen<int?> Maybe(Gen<int> gen) => Gen.Select(Gen.Bool, gen, (present, x) => present ? x : (int?)null);

    private static Gen<string?> Maybe(Gen<string> gen) => Gen.Select(Gen.Bool, gen, (present, x) => present ? x : null);

    private static readonly Gen<double> Positive = Gen.OneOf(Gen.Double[1e-9, 10], Gen.Double.Where(d => double.IsFinite(d) && d > 0), Gen.OneOf(0.1 + 0.2, 1e-4, 3e-5));

    private static readonly Gen<MethodSpec> Methods = Gen.Select(Gen.Int[1, 512], Gen.Int[1, 64], Gen.Int[1, 64], Gen.Enum<AddedKind>(), Gen.Int[1, 64], Gen.Int[1, 64], Positive, Gen.Int[16, 1024])
        .Select((m, t, r, kind, rank, r2, alpha, l) => new MethodSpec(m, new ScppSpec(t, r), new AddedSpec(kind, t, r2, rank, alpha), l, m % 2 == 0));

    private static readonly Gen<OptimizationSpec> Optimizations = Gen.Select(Positive, Positive, Gen.Int[0, 1000], Gen.Int[1, 100_000], Gen.Int[1, 256],
            Gen.OneOf(Gen.Const(0.0), Positive), Gen.Int[1, 5000], Gen.Long)
        .SelectMany(o => Gen.Select(Maybe(Gen.Int[1, 10_000]), Gen.Int[0, 50], (max, skips) =>
            new OptimizationSpec(o.Item1, o.Item2, o.Item3, o.Item4, o.Item5, o.Item6, o.Item7, o.Item8, max, skips)));

    /// <summary>A task of each source, with the keys that source takes; the group is one of three. Named and capped at l by the spec.</summary>
    private static readonly Gen<TaskSpec> Tasks = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Text, Text, Text, Maybe(Gen.Int[1, 100_000]), Maybe(Gen.Int[1, 1024]), Gen.Int[1, 512])
        .SelectMany(x => Gen.Select(Gen.Enum<MetricKind>(), Text.Array[1, 4], Gen.Int[0, 7], Gen.OneOf(PaperTasks.Names.ToArray()), Gen.OneOf(DemoTasks.Names.ToArray()),
            (metric, labels, shape, paper, demo) =>
            {
                var (source, group, path, input, target, maxTrain, max, maxTarget) = x;
                const string name = "t";
                var groupName = group == 0 ? RunSpec.DefaultGroup : $"g{group}";
                string[]? distinct = shape % 2 == 0 ? [.. labels.Distinct()] : null;
                return source switch
                {
                    0 => new TaskSpec(name, TaskSource.Paper, paper, path, null, null, null, null, null, null, null, distinct, maxTrain, max, maxTarget, groupName),
                    1 => new TaskSpec(name, TaskSource.Demo, demo, shape < 4 ? null : path, null, null, null, null, null, null, shape < 2 ? null : metric, null, maxTrain, max, maxTarget, groupName),
                    _ => shape < 3
                        ? new TaskSpec(name, TaskSource.Generic, name, null, path + ".jsonl", null, null, null, input, target, metric, distinct, maxTrain, max, maxTarget, groupName)
                        : new TaskSpec(name, TaskSource.Generic, name, null, null, path + ".csv", shape < 5 ? null : input + ".jsonl.gz", shape < 6 ? null : "t.jsonl",
                            input, target, metric, distinct, maxTrain, max, maxTarget, groupName),
                };
            }));

    private static readonly Gen<RunSpec> Specs = Gen.Select(Maybe(Text), Methods, Optimizations, Gen.Enum<AggregationMode>(), Gen.Int[0, 10], Gen.Int[0, 5000], Gen.Int[1, 6], Gen.Int[0, 3])
        .SelectMany(x =>
        {
            var (backbone, method, optimization, mode, staleness, checkpointEvery, count, transfer) = x;
            return Tasks.Array[count].Select(generated =>
            {
                var tasks = generated.Select((t, i) => t with { Name = $"t{i}", Dataset = t.Source == TaskSource.Generic ? $"t{i}" : t.Dataset, MaxLength = t.MaxLength > method.MaxLength ? method.MaxLength : t.MaxLength }).ToList();
                return new RunSpec(backbone, tasks, method, optimization,
                    tasks.GroupBy(t => t.CodebookGroup).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(t => t.Name)]),
                    new AggregationSpec(mode, staleness), checkpointEvery,
                    transfer == 0 ? null : new TransferSpec($"runs/{backbone}", transfer > 1, transfer > 2 ? "t0" : null, transfer % 2 == 1));
            });
        });

    [Fact]
    public void Any_valid_spec_reads_back_to_itself()
    {
        Specs.Sample(spec =>
        {
            var json = RunSpecWriter.ToJson(spec);
            var again = RunSpecReader.Parse(json, "written.json");
            Assert.Equal(json, RunSpecWriter.ToJson(again));
            Assert.Equal((spec.Backbone, spec.Method, spec.Optimization, spec.Aggregation, spec.CheckpointEvery, spec.Transfer),
                (again.Backbone, again.Method, again.Optimization, again.Aggregation, again.CheckpointEvery, again.Transfer));
            Assert.Equal(spec.Tasks.Select(t => t with { Labels = null }), again.Tasks.Select(t => t with { Labels = null }));
            Assert.Equal(spec.Tasks.Select(t => t.Labels is null ? "-" : string.Join("\0", t.Labels)), again.Tasks.Select(t => t.Labels is null ? "-" : string.Join("\0", t.Labels)));
            Assert.Equal(spec.CodebookGroups.Select(g => (g.Key, string.Join(",", g.Value))), again.CodebookGroups.Select(g => (g.Key, string.Join(",", g.Value))));
        }, iter: FuzzCount.PerFamily);
    }
}
