namespace Accept.Training.IO;

/// <summary>A checkpoint file is missing, malformed or does not fit the model; the message names the file.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
    }

    /// <summary>The file (or directory) the problem is in.</summary>
    public string File { get; }
}
