using System.Globalization;
using System.Text.RegularExpressions;
using Accept.Grains.Diagnostics;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>One push as a codebook grain's push journal logged it (<see cref="PushJournalFilter"/>).</summary>
/// <param name="Time">When the harness received the line.</param>
/// <param name="Outcome">accepted, rejected or error (the call threw).</param>
/// <param name="Version">The group's version in the answer; -1 when the call threw.</param>
public sealed record PushEvent(DateTime Time, string Silo, string Group, string Task, long Step, long BaseVersion, string Outcome, string Code, long Version)
{
    public bool Accepted => Outcome == "accepted";
}

/// <summary>Reads the push journal out of the silos' log lines, in the order the harness received them.</summary>
public static partial class PushJournal
{
    public static List<PushEvent> Read(IEnumerable<LogLine> lines) =>
        lines.Select(Parse).OfType<PushEvent>().OrderBy(e => e.Time).ToList();

    public static PushEvent? Parse(LogLine line)
    {
        var match = Pattern().Match(line.Text);
        if (!match.Success) return null;
        long Number(string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new PushEvent(line.Time, line.Process, match.Groups["group"].Value, match.Groups["task"].Value, Number("step"), Number("base"),
            match.Groups["outcome"].Value, match.Groups["code"].Value, Number("version"));
    }

    [GeneratedRegex(PushJournalFilter.Marker + @" group=(?<group>\S+) task=(?<task>\S+) step=(?<step>\d+) base=(?<base>-?\d+) outcome=(?<outcome>\w+) code=(?<code>\w+) version=(?<version>-?\d+)")]
    private static partial Regex Pattern();
}
