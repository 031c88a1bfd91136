using Accept.Training.Data;
using Accept.Training.Data.Demo;
using Accept.Training.Data.Generic;
using Accept.Training.Data.Paper;

namespace Accept.Training.Config;

/// <summary>Loads a task's examples and splits through the data layer, from its <see cref="TaskSpec"/>.</summary>
public static class TaskSpecLoader
{
    /// <param name="demoCacheDirectory">Where the demo corpora live when the task gives no <c>path</c> (they must be installed).</param>
    public static TaskData Load(TaskSpec task, int seed, string demoCacheDirectory) => task.Source switch
    {
        TaskSource.Paper => PaperTasks.Load(task.Dataset, task.Path!, new TaskLoadOptions
        {
            Seed = seed,
            Caps = new SplitCaps(MaxTrain: task.MaxTrainExamples),
        }),
        TaskSource.Demo => DemoTasks.Load(task.Dataset, task.Path ?? demoCacheDirectory, new DemoTaskOptions
        {
            Seed = seed,
            Caps = new DemoTaskOptions().Caps with { MaxTrain = task.MaxTrainExamples ?? new DemoTaskOptions().Caps.MaxTrain },
        }),
        _ => GenericTasks.Load(new GenericTaskSpec
        {
            Name = task.Name,
            File = task.File,
            TrainFile = task.TrainFile,
            ValidationFile = task.ValidationFile,
            TestFile = task.TestFile,
            InputField = task.InputField!,
            TargetField = task.TargetField!,
            Metric = task.Metric ?? Metrics.MetricKind.Accuracy,
            Labels = task.Labels,
            Seed = seed,
            Caps = new SplitCaps(MaxTrain: task.MaxTrainExamples),
        }),
    };
}
