using System.Text.Json;
using Accept.Training.Data.Formats;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Paper;

/// <summary>MRQA 2019 shared-task files (MRQA/train/X.jsonl.gz, MRQA/dev/X.jsonl.gz): a header line, then one
/// context per line with its questions. Text is punctuation-padded as in T5/DePT; the first answer is the
/// training target and all answers are kept for F1 and exact match.</summary>
internal static class MrqaTasks
{
    public static IEnumerable<PaperTask> All() =>
    [
        Task("nq", "NaturalQuestionsShort"),
        Task("hotpotqa", "HotpotQA"),
        Task("searchqa", "SearchQA"),
        Task("newsqa", "NewsQA"),
    ];

    private static PaperTask Task(string name, string file) =>
        new(name, name, MetricKind.TokenF1, SplitRule.HoldOutFromTrain, $"MRQA/train/{file}.jsonl.gz", $"MRQA/dev/{file}.jsonl.gz", Read)
        {
            SecondaryMetrics = [MetricKind.ExactMatch],
            InputFields = ["question", "context"],
            NormalizeInput = TextNormalization.PadPunctuation,
        };

    private static IEnumerable<SourceRow> Read(string path)
    {
        foreach (var row in JsonlFile.Read(path))
        {
            if (row.Element.TryGetProperty("header", out _)) continue;
            var context = TextNormalization.PadPunctuation(row.RequireString("context"));
            foreach (var q in row.Require("qas", JsonValueKind.Array).EnumerateArray())
            {
                var qa = row.At(q);
                var answers = qa.Require("answers", JsonValueKind.Array).EnumerateArray()
                    .Select(a => a.ValueKind == JsonValueKind.String
                        ? TextNormalization.PadPunctuation(a.GetString()!)
                        : throw qa.Error("answers", $"expected an array of strings, found {a.ValueKind} in it"))
                    .ToList();
                if (answers.Count == 0) throw qa.Error("answers", "expected at least one answer, found none");
                yield return new SourceRow(
                    ["question:", TextNormalization.PadPunctuation(qa.RequireString("question")), "context:", context],
                    Target: answers[0], Answers: answers);
            }
        }
    }
}
