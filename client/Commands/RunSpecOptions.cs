using System.CommandLine;
using Accept.Training.Config;

namespace Accept.Client.Commands;

/// <summary>The run-spec override flags (<see cref="RunSpecOverrides.Flags"/>) as options of a command; `train` and `params` share them.</summary>
internal sealed class RunSpecOptions
{
    private readonly List<(OverrideFlag Flag, Option<string?> Option)> _options = [];

    private RunSpecOptions() { }

    /// <summary>Adds one option per override flag to <paramref name="command"/>.</summary>
    public static RunSpecOptions AddTo(Command command)
    {
        var result = new RunSpecOptions();
        foreach (var flag in RunSpecOverrides.Flags)
        {
            var option = new Option<string?>(flag.Name) { Description = $"{flag.Description} (overrides {flag.JsonPath})" };
            command.Options.Add(option);
            result._options.Add((flag, option));
        }
        return result;
    }

    /// <summary><paramref name="spec"/> with every flag given on the command line applied (throws <see cref="SpecException"/> naming the flag).</summary>
    public RunSpec Apply(RunSpec spec, ParseResult parse)
    {
        var values = new Dictionary<string, string>();
        foreach (var (flag, option) in _options)
            if (parse.GetValue(option) is { } text) values[flag.Name] = text;
        return RunSpecOverrides.Apply(spec, values);
    }
}
