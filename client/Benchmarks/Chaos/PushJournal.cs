using System.Globalization;
using System.Text.RegularExpressions;
using Accept.Grains.Diagnostics;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>One push as a codebook grain's push journal logged it (<see cref="PushJournalFilter"/>).</summary>
/// <param name="Time">When the harness received the line.</param>
/// <param name="Outcome">accepted, rejected or error (the call threw).</param>
/// <param name="Version">The group's version in the answer; -1 when the call threw.</param>
/// <param name="From">The sending silo's address (ip:port@generation), "-" when the push carried none.</param>
public sealed record PushEvent(DateTime Time, string Silo, string Group, string Task, long Step, long BaseVersion, string Outcome, string Code, long Version, string From = "-")
{
    public bool Accepted => Outcome == "accepted";
}

/// <summary>A silo's status as one silo saw it change (<see cref="MembershipJournal"/>).</summary>
/// <param name="Observer">The process that logged it.</param>
/// <param name="Silo">The silo whose status changed (ip:port@generation).</param>
/// <param name="Name">Its silo name (coordinator, worker-1, …).</param>
public sealed record MembershipEvent(DateTime Time, string Observer, string Silo, string Name, string Status)
{
    public bool Dead => Status == "Dead";
}

/// <summary>Reads the push journal out of the silos' log lines, in the order the harness received them.</summary>
public static partial class PushJournal
{
    public static List<PushEvent> Read(IEnumerable<LogLine> lines) =>
        lines.Select(Parse).OfType<PushEvent>().OrderBy(e => e.Time).ToList();

    public static List<MembershipEvent> ReadMembership(IEnumerable<LogLine> lines) =>
        lines.Select(ParseMembership).OfType<MembershipEvent>().OrderBy(e => e.Time).ToList();

    /// <summary>
    /// The pushes without those a silo sent after another silo had declared it dead (a stopped silo resumed
    /// and still pushing from its stale state): the group's live history, which the figures are about. The
    /// left-out pushes are judged on their own (<see cref="RunFigures.AfterDeclaredDead"/>).
    /// </summary>
    public static List<PushEvent> FromLiveSilos(IReadOnlyList<PushEvent> pushes, IReadOnlyList<MembershipEvent> membership)
    {
        var declaredDead = membership.Where(m => m.Dead && m.Observer != m.Name)
            .GroupBy(m => m.Silo).ToDictionary(g => g.Key, g => g.Min(m => m.Time));
        return pushes.Where(p => !(declaredDead.TryGetValue(p.From, out var death) && p.Time > death)).ToList();
    }

    public static MembershipEvent? ParseMembership(LogLine line) =>
        MembershipPattern().Match(line.Text) is { Success: true } match
            ? new MembershipEvent(line.Time, line.Process, match.Groups["silo"].Value, match.Groups["name"].Value, match.Groups["status"].Value)
            : null;

    public static PushEvent? Parse(LogLine line)
    {
        var match = Pattern().Match(line.Text);
        if (!match.Success) return null;
        long Number(string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new PushEvent(line.Time, line.Process, match.Groups["group"].Value, match.Groups["task"].Value, Number("step"), Number("base"),
            match.Groups["outcome"].Value, match.Groups["code"].Value, Number("version"), match.Groups["from"].Success ? match.Groups["from"].Value : "-");
    }

    [GeneratedRegex(PushJournalFilter.Marker + @" group=(?<group>\S+) task=(?<task>\S+) step=(?<step>\d+) base=(?<base>-?\d+) outcome=(?<outcome>\w+) code=(?<code>\w+) version=(?<version>-?\d+)( from=(?<from>\S+))?")]
    private static partial Regex Pattern();

    [GeneratedRegex(MembershipJournal.Marker + @" silo=(?<silo>\S+) name=(?<name>\S*) status=(?<status>\w+)")]
    private static partial Regex MembershipPattern();
}
