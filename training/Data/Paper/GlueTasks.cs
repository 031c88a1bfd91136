using System.Globalization;
using Accept.Training.Data.Formats;
using Accept.Training.Metrics;

namespace Accept.Training.Data.Paper;

/// <summary>GLUE from its distribution TSVs (the layout of download_glue_data.py: MNLI/, QQP/, …).
/// Class indices follow the Hugging Face GLUE builder, which DePT's targets are.</summary>
internal static class GlueTasks
{
    /// <summary>CoLA's TSVs have no header line.</summary>
    private static readonly string[] ColaColumns = ["source", "label", "original_label", "sentence"];

    private static readonly string[] BinaryIndices = ["0", "1"];

    public static IEnumerable<PaperTask> All() =>
    [
        // DePT keeps MNLI's train, validates on mismatched and tests on matched.
        new("mnli", "mnli", MetricKind.Accuracy, SplitRule.AsGiven, "MNLI/train.tsv", "MNLI/dev_mismatched.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["premise:", r.Require("sentence1"), "hypothesis:", r.Require("sentence2")],
                LabelParsing.ClassIndex(r, "gold_label", "entailment", "neutral", "contradiction"))))
        {
            InputFields = ["premise", "hypothesis"],
            TestFile = "MNLI/dev_matched.tsv",
            LabelWords = ["entailment", "neutral", "contradiction"],
        },
        new("qqp", "qqp", MetricKind.Accuracy, SplitRule.HoldOutFromTrain, "QQP/train.tsv", "QQP/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["question1:", r.Require("question1"), "question2:", r.Require("question2")],
                LabelParsing.ClassIndex(r, "is_duplicate", BinaryIndices))))
        {
            InputFields = ["question1", "question2"],
            LabelWords = ["not_duplicate", "duplicate"],
            SecondaryMetrics = [MetricKind.F1],
        },
        new("qnli", "qnli", MetricKind.Accuracy, SplitRule.HoldOutFromTrain, "QNLI/train.tsv", "QNLI/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["question:", r.Require("question"), "sentence:", r.Require("sentence")],
                LabelParsing.ClassIndex(r, "label", "entailment", "not_entailment"))))
        {
            InputFields = ["question", "sentence"],
            LabelWords = ["entailment", "not_entailment"],
        },
        new("sst2", "sst2", MetricKind.Accuracy, SplitRule.HoldOutFromTrain, "SST-2/train.tsv", "SST-2/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["sentence:", r.Require("sentence")], LabelParsing.ClassIndex(r, "label", BinaryIndices))))
        {
            InputFields = ["sentence"],
            LabelWords = ["negative", "positive"],
        },
        new("stsb", "stsb", MetricKind.Pearson, SplitRule.HalveValidation, "STS-B/train.tsv", "STS-B/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["sentence1:", r.Require("sentence1"), "sentence2:", r.Require("sentence2")],
                Target: TextNormalization.RoundStsb(StsbScore(r)))))
        {
            InputFields = ["sentence1", "sentence2"],
            SecondaryMetrics = [MetricKind.Spearman],
            FixedLabels = [.. Enumerable.Range(0, 26).Select(i => (i / 5.0).ToString("0.0", CultureInfo.InvariantCulture))],
        },
        new("mrpc", "mrpc", MetricKind.Accuracy, SplitRule.HalveValidation, "MRPC/train.tsv", "MRPC/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["sentence1:", r.Require("#1 String"), "sentence2:", r.Require("#2 String")],
                LabelParsing.ClassIndex(r, "Quality", BinaryIndices))))
        {
            InputFields = ["sentence1", "sentence2"],
            LabelWords = ["not_equivalent", "equivalent"],
            SecondaryMetrics = [MetricKind.F1],
        },
        new("rte", "rte", MetricKind.Accuracy, SplitRule.HalveValidation, "RTE/train.tsv", "RTE/dev.tsv",
            path => TsvFile.Read(path).Select(r => new SourceRow(
                ["sentence1:", r.Require("sentence1"), "sentence2:", r.Require("sentence2")],
                LabelParsing.ClassIndex(r, "label", "entailment", "not_entailment"))))
        {
            InputFields = ["sentence1", "sentence2"],
            LabelWords = ["entailment", "not_entailment"],
        },
        new("cola", "cola", MetricKind.MatthewsCorrelation, SplitRule.HalveValidation, "CoLA/train.tsv", "CoLA/dev.tsv",
            path => TsvFile.Read(path, ColaColumns).Select(r => new SourceRow(
                ["sentence:", r.Require("sentence")], LabelParsing.ClassIndex(r, "label", BinaryIndices))))
        {
            InputFields = ["sentence"],
            LabelWords = ["unacceptable", "acceptable"],
        },
    ];

    private static double StsbScore(TextRow row)
    {
        var score = LabelParsing.Number(row, "score");
        return score is >= 0 and <= 5 ? score : throw row.Error("score", $"expected a similarity score from 0 to 5, found {score}");
    }
}
