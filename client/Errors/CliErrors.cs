using Accept.Client.Cluster;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.IO;
using Accept.Training.MultiTask;

namespace Accept.Client.Errors;

/// <summary>
/// The one place where an exception leaving a command becomes one line on stderr and an exit code
/// (<see cref="ExitCodes"/>). Known failures print their message, which names the file, key or flag;
/// anything else prints its type and message. No stack trace (it would show build paths), unless
/// <c>ACCEPT_DEBUG=1</c> asks for it.
/// </summary>
internal static class CliErrors
{
    public const string DebugVariable = "ACCEPT_DEBUG";

    public static int Report(Exception e, TextWriter error)
    {
        e = ErrorLines.Unwrap(e);
        var (code, line) = Classify(e);
        error.WriteLine($"error: {ErrorLines.OneLine(line)}");
        if (Environment.GetEnvironmentVariable(DebugVariable) == "1") error.WriteLine(e.ToString());
        return code;
    }

    /// <summary>The exit code and the message an exception is reported with.</summary>
    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
        SpecException or DataFormatException or CheckpointException or CheckpointCorruptException or InvalidDataException or RunPreparationException
            or ClusterUnavailableException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or ArgumentException or FormatException
            => (ExitCodes.BadInput, e.Message),
        TrainingDivergedException or IOException or TimeoutException or InvalidOperationException
            => (ExitCodes.Failure, e.Message),
        OutOfMemoryException => (ExitCodes.Failure, "out of memory; lower optimization.batch_size, method.max_length or method.prompt_length"),
        _ => (ExitCodes.Failure, $"unexpected {e.GetType().Name}: {e.Message} (set {DebugVariable}=1 for details)"),
    };
}
