using Accept.Training.Data;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;

namespace Accept.Tests.Data;

/// <summary>Each GLUE task's TSV layout becomes DePT's text-to-text strings.</summary>
[Trait("Category", "Fast")]
public sealed class GlueFormatTests : IDisposable
{
    private readonly DataFixture data = new();
    private static readonly TaskLoadOptions Options = new() { AddTaskPrefix = true };

    public void Dispose() => data.Dispose();

    private const string MnliHeader =
        "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label";

    private static string MnliRow(int i, string premise, string hypothesis, string label) =>
        $"{i}\t1\t1g\tfiction\t( x )\t( y )\t(ROOT x)\t(ROOT y)\t{premise}\t{hypothesis}\t{label}\t{label}";

    [Fact]
    public void Mnli_uses_premise_hypothesis_and_class_indices_with_mismatched_as_validation()
    {
        data.WriteLines("MNLI/train.tsv", [MnliHeader, MnliRow(0, "The cat \"sat\".", "A cat is sitting.", "entailment"),
            MnliRow(1, "It rained.", "It was dry.", "contradiction")]);
        data.WriteLines("MNLI/dev_mismatched.tsv", [MnliHeader, MnliRow(0, "Mismatched premise.", "Maybe.", "neutral")]);
        data.WriteLines("MNLI/dev_matched.tsv", [MnliHeader, MnliRow(0, "Matched premise.", "Yes.", "entailment")]);

        var task = PaperTasks.Load("mnli", data.Root, Options);

        Assert.Equal(new Example("mnli premise: The cat \"sat\". hypothesis: A cat is sitting.", "0"), task.Train[0]);
        Assert.Equal("2", task.Train[1].Target);
        Assert.Equal(new Example("mnli premise: Mismatched premise. hypothesis: Maybe.", "1"), Assert.Single(task.Validation));
        Assert.Equal("mnli premise: Matched premise. hypothesis: Yes.", Assert.Single(task.Test).Input);
        Assert.Equal(["0", "1", "2"], task.Labels!);
        Assert.Equal(MetricKind.Accuracy, task.Metric);

        var words = PaperTasks.Load("MNLI", data.Root, Options with { LabelStyle = LabelStyle.Words, AddTaskPrefix = false });
        Assert.Equal(new Example("premise: It rained. hypothesis: It was dry.", "contradiction"), words.Train[1]);
        Assert.Equal(["entailment", "neutral", "contradiction"], words.Labels!);
    }

    [Fact]
    public void Qqp_qnli_and_sst2_take_their_test_set_from_dev_and_validation_from_train()
    {
        data.WriteLines("QQP/train.tsv", ["id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate",
            .. Enumerable.Range(0, 1010).Select(i => $"{i}\t{i}\t{i + 1}\tq{i}?\tp{i}?\t{i % 2}")]);
        data.WriteLines("QQP/dev.tsv", ["id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate", "7\t1\t2\tHow do I cook rice?\tWhat is the way to cook rice?\t1"]);
        data.WriteLines("QNLI/train.tsv", ["index\tquestion\tsentence\tlabel",
            .. Enumerable.Range(0, 1010).Select(i => $"{i}\tq{i}?\ts{i}.\tentailment")]);
        data.WriteLines("QNLI/dev.tsv", ["index\tquestion\tsentence\tlabel", "0\tWhere is Paris?\tParis is a city.\tnot_entailment"]);
        data.WriteLines("SST-2/train.tsv", ["sentence\tlabel", .. Enumerable.Range(0, 1010).Select(i => $"film {i}\t{i % 2}")]);
        data.WriteLines("SST-2/dev.tsv", ["sentence\tlabel", "it 's a charming and often affecting journey . \t1"]);

        var qqp = PaperTasks.Load("qqp", data.Root, Options);
        Assert.Equal(new Example("qqp question1: How do I cook rice? question2: What is the way to cook rice?", "1"), Assert.Single(qqp.Test));
        Assert.Equal([MetricKind.F1], qqp.SecondaryMetrics);

        var qnli = PaperTasks.Load("qnli", data.Root, Options with { LabelStyle = LabelStyle.Words });
        Assert.Equal(new Example("qnli question: Where is Paris? sentence: Paris is a city.", "not_entailment"), Assert.Single(qnli.Test));

        var sst2 = PaperTasks.Load("SST-2", data.Root, Options);
        Assert.Equal(new Example("sst2 sentence: it 's a charming and often affecting journey . ", "1"), Assert.Single(sst2.Test));
        Assert.Equal(1000, sst2.Validation.Count);
        Assert.Equal(10, sst2.Train.Count);
    }

    [Fact]
    public void Stsb_target_is_the_score_rounded_to_a_fifth_half_to_even()
    {
        const string header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";
        string Row(int i, string score) => $"{i}\tmain-captions\tMSRvid\t2012test\t{i}\tnone\tnone\tA plane is taking off.\tAn air plane is taking off.\t{score}";
        data.WriteLines("STS-B/train.tsv", [header, Row(0, "3.750"), Row(1, "5.000"), Row(2, "0.100"), Row(3, "3.7")]);
        data.WriteLines("STS-B/dev.tsv", [header, Row(0, "1.0"), Row(1, "2.0")]);

        var task = PaperTasks.Load("sts-b", data.Root, Options);

        Assert.Equal("stsb sentence1: A plane is taking off. sentence2: An air plane is taking off.", task.Train[0].Input);
        Assert.Equal(["3.8", "5.0", "0.0", "3.6"], task.Train.Select(e => e.Target));
        Assert.Equal(MetricKind.Pearson, task.Metric);
        Assert.Equal([MetricKind.Spearman], task.SecondaryMetrics);
        Assert.Equal(26, task.Labels!.Count);
    }

    [Fact]
    public void Mrpc_rte_and_cola_read_their_layouts_including_a_byte_order_mark_and_no_header()
    {
        data.WriteLines("MRPC/train.tsv", ["\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String",
            "1\t702876\t702977\tAmrozi accused his brother.\tReferring to him, Amrozi accused his brother.",
            "0\t2108705\t2108831\tYucaipa owned Dominick's.\tYucaipa bought Dominick's."]);
        data.WriteLines("MRPC/dev.tsv", ["\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String", "1\t1\t2\ta\tb", "0\t3\t4\tc\td"]);
        data.WriteLines("RTE/train.tsv", ["index\tsentence1\tsentence2\tlabel", "0\tDana Reeve died.\tChristopher Reeve had an accident.\tnot_entailment"]);
        data.WriteLines("RTE/dev.tsv", ["index\tsentence1\tsentence2\tlabel", "0\ta\tb\tentailment", "1\tc\td\tentailment"]);
        data.WriteLines("CoLA/train.tsv", ["gj04\t1\t\tOur friends won't buy this analysis, let alone the next one we propose.",
            "gj04\t0\t*\tThey drank the pub."]);
        data.WriteLines("CoLA/dev.tsv", ["gj04\t1\t\tThe sailors rode the breeze clear of the rocks.", "gj04\t0\t*\tBill whistled past."]);

        var mrpc = PaperTasks.Load("mrpc", data.Root, Options with { LabelStyle = LabelStyle.Words });
        Assert.Equal(new Example("mrpc sentence1: Amrozi accused his brother. sentence2: Referring to him, Amrozi accused his brother.", "equivalent"), mrpc.Train[0]);
        Assert.Equal("not_equivalent", mrpc.Train[1].Target);

        var rte = PaperTasks.Load("rte", data.Root, Options);
        Assert.Equal(new Example("rte sentence1: Dana Reeve died. sentence2: Christopher Reeve had an accident.", "1"), rte.Train[0]);

        var cola = PaperTasks.Load("cola", data.Root, Options);
        Assert.Equal(new Example("cola sentence: Our friends won't buy this analysis, let alone the next one we propose.", "1"), cola.Train[0]);
        Assert.Equal(new Example("cola sentence: They drank the pub.", "0"), cola.Train[1]);
        Assert.Equal(MetricKind.MatthewsCorrelation, cola.Metric);
    }
}
