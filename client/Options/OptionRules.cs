using System.CommandLine;

namespace Accept.Client.Options;

/// <summary>
/// Validators for typed command-line options: a bad value is a parse error (one line naming the flag, exit
/// code 2) before anything loads, instead of a .NET message from deep inside a command.
/// </summary>
internal static class OptionRules
{
    /// <summary>Accepts values in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static T InRange<T>(this T option, long min, long max) where T : Option
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<object?>();
            long? number = value switch { int i => i, long l => l, double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => (long)d, _ => null };
            if (value is null) return;
            if (number is not { } n || n < min || n > max)
                result.AddError($"{option.Name}: expected an integer from {min:N0} to {max:N0}, got {value}");
        });
        return option;
    }

    /// <summary>A number of seconds in (0, <paramref name="maxSeconds"/>].</summary>
    public static Option<double> Seconds(this Option<double> option, double maxSeconds)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value <= 0 || value > maxSeconds)
                result.AddError($"{option.Name}: expected a number of seconds above 0 and at most {maxSeconds:N0}, got {value}");
        });
        return option;
    }

    /// <summary>A directory the command will create files in: it may not exist yet, but what exists of it must be a writable directory.</summary>
    public static Option<DirectoryInfo> WritableDirectory(this Option<DirectoryInfo> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo?>() is { } dir && PathChecks.WritableDirectoryProblem(dir.FullName) is { } problem)
                result.AddError($"{option.Name} {dir.FullName}: {problem}");
        });
        return option;
    }

    /// <summary>A directory that must already exist.</summary>
    public static Option<DirectoryInfo> ExistingDirectory(this Option<DirectoryInfo> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo?>() is { } dir && !dir.Exists)
                result.AddError($"{option.Name} {dir.FullName}: no such directory");
        });
        return option;
    }
}
