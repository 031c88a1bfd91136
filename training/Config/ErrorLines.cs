namespace Accept.Training.Config;

/// <summary>How an exception becomes the one line a command or a silo prints (<c>error: …</c>): the exception that
/// says what went wrong, and its message folded onto one line.</summary>
public static class ErrorLines
{
    /// <summary>The exception inside single-exception aggregates and reflection wrappers.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is { } inner)
            e = inner;
        return e;
    }

    /// <summary>A library's multi-line message folded so the report stays one line.</summary>
    public static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
