using System.Text.Json;
using Accept.Training.Data.Formats;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Paper;

/// <summary>SuperGLUE from its distribution JSONL files (BoolQ/train.jsonl, BoolQ/val.jsonl, …); the public
/// test files carry no labels, so validation serves as test. Class indices follow the Hugging Face builder.</summary>
internal static class SuperGlueTasks
{
    private static readonly string[] FalseTrue = ["False", "True"];

    public static IEnumerable<PaperTask> All() =>
    [
        new("multirc", "superglue-multirc", MetricKind.F1, SplitRule.HalveValidation, "MultiRC/train.jsonl", "MultiRC/val.jsonl",
            ReadMultiRc)
        {
            LabelWords = FalseTrue,
            InputFields = ["question", "answer", "paragraph"],
            NormalizeInput = TextNormalization.RemoveMarkup,
        },
        new("boolq", "superglue-boolq", MetricKind.Accuracy, SplitRule.HalveValidation, "BoolQ/train.jsonl", "BoolQ/val.jsonl",
            path => JsonlFile.Read(path).Select(r => new SourceRow(
                ["question:", r.RequireString("question"), "passage:", r.RequireString("passage")],
                r.RequireBool("label") ? 1 : 0))) { LabelWords = FalseTrue, InputFields = ["question", "passage"] },
        new("wic", "superglue-wic", MetricKind.Accuracy, SplitRule.HalveValidation, "WiC/train.jsonl", "WiC/val.jsonl",
            path => JsonlFile.Read(path).Select(r => new SourceRow(
                ["sentence1:", r.RequireString("sentence1"), "sentence2:", r.RequireString("sentence2"), "word:", r.RequireString("word")],
                r.RequireBool("label") ? 1 : 0))) { LabelWords = FalseTrue, InputFields = ["sentence1", "sentence2", "word"] },
        new("wsc", "superglue-wsc.fixed", MetricKind.Accuracy, SplitRule.HalveValidation, "WSC/train.jsonl", "WSC/val.jsonl",
            path => JsonlFile.Read(path).Select(ReadWsc)) { LabelWords = FalseTrue, InputFields = ["text"] },
        new("cb", "superglue-cb", MetricKind.Accuracy, SplitRule.HalveValidation, "CB/train.jsonl", "CB/val.jsonl",
            path => JsonlFile.Read(path).Select(r => new SourceRow(
                ["premise:", r.RequireString("premise"), "hypothesis:", r.RequireString("hypothesis")],
                CbLabel(r)))) { LabelWords = ["entailment", "contradiction", "neutral"], InputFields = ["premise", "hypothesis"] },
    ];

    private static int CbLabel(JsonRow row)
    {
        string[] names = ["entailment", "contradiction", "neutral"];
        var value = row.RequireString("label");
        var index = Array.IndexOf(names, value);
        return index >= 0 ? index : throw row.Error("label", $"expected one of {string.Join(", ", names)}, found '{value}'");
    }

    /// <summary>One example per candidate answer: "question: … answer: … paragraph: …" → answer correct?</summary>
    private static IEnumerable<SourceRow> ReadMultiRc(string path)
    {
        foreach (var row in JsonlFile.Read(path))
        {
            var passage = row.At(row.Require("passage", JsonValueKind.Object));
            var paragraph = TextNormalization.RemoveMarkup(passage.RequireString("text"));
            foreach (var q in passage.Require("questions", JsonValueKind.Array).EnumerateArray())
            {
                var question = passage.At(q);
                var questionText = TextNormalization.RemoveMarkup(question.RequireString("question"));
                foreach (var a in question.Require("answers", JsonValueKind.Array).EnumerateArray())
                {
                    var answer = question.At(a);
                    yield return new SourceRow(
                        ["question:", questionText, "answer:", TextNormalization.RemoveMarkup(answer.RequireString("text")), "paragraph:", paragraph],
                        answer.RequireBool("label") ? 1 : 0);
                }
            }
        }
    }

    /// <summary>T5's WSC format: the noun span between '*', the pronoun between '#'.</summary>
    private static SourceRow ReadWsc(JsonRow row)
    {
        var target = row.At(row.Require("target", JsonValueKind.Object));
        var span1Index = target.RequireInt("span1_index");
        var span2Index = target.RequireInt("span2_index");
        var text = TextNormalization.MarkSpan(row.RequireString("text"), target.RequireString("span1_text"), span1Index, '*');
        // The first mark added two words before the pronoun when the noun comes first.
        var shifted = span2Index + (span1Index < span2Index ? 2 : 0);
        text = TextNormalization.MarkSpan(text, target.RequireString("span2_text"), shifted, '#');
        return new SourceRow(["text:", text], row.RequireBool("label") ? 1 : 0);
    }
}
