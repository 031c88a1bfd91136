namespace Accept.Training.Config;

/// <summary>Where a task's examples come from.</summary>
public enum TaskSource
{
    /// <summary>One of the paper's 17 tasks, read from its standard distribution files.</summary>
    Paper,
    /// <summary>Any JSONL/CSV file with named input and target fields.</summary>
    Generic,
    /// <summary>A demo task built from the npm-packaged corpora.</summary>
    Demo,
}
