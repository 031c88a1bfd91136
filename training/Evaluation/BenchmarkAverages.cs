using Accept.Training.Config;
using Accept.Training.Data.Paper;

namespace Accept.Training.Evaluation;

/// <summary>
/// The paper's table averages: per benchmark (GLUE, SuperGLUE, MRQA), the unweighted mean over its tasks of
/// each task's score, which is its primary metric (the one the paper's tables report: accuracy for most,
/// Matthews correlation for CoLA, Pearson for STS-B, F1 for MultiRC and MRQA). Only the paper's tasks
/// count; generic and demo tasks belong to no benchmark.
/// </summary>
public static class BenchmarkAverages
{
    public static IReadOnlyDictionary<string, double> Of(RunSpec spec, IEnumerable<TaskEvaluation> evaluations)
    {
        var byTask = spec.Tasks.ToDictionary(t => t.Name);
        return evaluations
            .Where(e => byTask.TryGetValue(e.Task, out var t) && t.Source == TaskSource.Paper)
            .GroupBy(e => PaperTasks.Benchmark(byTask[e.Task].Dataset))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(e => e.Score));
    }
}
