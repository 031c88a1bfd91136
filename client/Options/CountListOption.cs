using System.CommandLine;
using System.Globalization;

namespace Accept.Client.Options;

/// <summary>
/// A comma-separated list of whole numbers as one typed option (<c>--tasks 16,160,1600</c>): parsed and range-checked
/// by the command line, so a bad entry is a parse error naming the flag and the entry (exit code 2) before anything runs.
/// </summary>
internal static class CountListOption
{
    public static Option<IReadOnlyList<int>> Create(string name, string description, int min, int max, params int[] defaults)
    {
        var example = string.Join(',', defaults);
        return new Option<IReadOnlyList<int>>(name)
        {
            Description = $"{description} (comma-separated, {min:N0} to {max:N0})",
            DefaultValueFactory = _ => defaults,
            CustomParser = result =>
            {
                var counts = new List<int>();
                foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
                {
                    if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                    {
                        result.AddError($"{name}: '{part}' is not a count from {min:N0} to {max:N0} (e.g. {name} {example}).");
                        return defaults;
                    }
                    counts.Add(n);
                }
                if (counts.Count == 0)
                {
                    result.AddError($"{name}: give at least one count (e.g. {name} {example}).");
                }
                return counts;
            },
        };
    }
}
