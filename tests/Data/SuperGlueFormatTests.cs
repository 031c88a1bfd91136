using System.Text.Json;
using Accept.Training.Data;
using Accept.Training.Data.Paper;
using Accept.Training.Metrics;

namespace Accept.Tests.Data;

/// <summary>Each SuperGLUE task's JSONL layout becomes DePT's text-to-text strings.</summary>
[Trait("Category", "Fast")]
public sealed class SuperGlueFormatTests : IDisposable
{
    private readonly DataFixture data = new();
    private static readonly TaskLoadOptions Options = new() { AddTaskPrefix = true };

    public void Dispose() => data.Dispose();

    private void WriteJsonl(string path, params object[] rows) => data.WriteLines(path, rows.Select(r => JsonSerializer.Serialize(r)));

    [Fact]
    public void MultiRc_flattens_each_candidate_answer_and_removes_markup()
    {
        var passage = new
        {
            text = "<b>Sent 1: </b>Sam ate an apple.<br><b>Sent 2: </b>Then he slept.<br>",
            questions = new[]
            {
                new { question = "What did <b>Sam</b> eat?", idx = 0, answers = new object[]
                {
                    new { text = "An apple", idx = 0, label = 1 },
                    new { text = "A pear", idx = 1, label = 0 },
                } },
            },
        };
        WriteJsonl("MultiRC/train.jsonl", new { idx = 0, version = 1.1, passage });
        WriteJsonl("MultiRC/val.jsonl", new { idx = 1, version = 1.1, passage });

        var task = PaperTasks.Load("multirc", data.Root, Options);

        Assert.Equal(2, task.Train.Count);
        Assert.Equal(new Example(
            "superglue-multirc question: What did Sam eat? answer: An apple paragraph: Sent 1: Sam ate an apple. Sent 2: Then he slept. ", "1"), task.Train[0]);
        Assert.Equal("0", task.Train[1].Target);
        Assert.Equal(MetricKind.F1, task.Metric);
    }

    [Fact]
    public void BoolQ_wic_and_cb_read_question_passage_sentences_word_and_labels()
    {
        WriteJsonl("BoolQ/train.jsonl", new { question = "is the sky blue", passage = "The sky is blue.", idx = 0, label = true },
            new { question = "is fire cold", passage = "Fire is hot.", idx = 1, label = false });
        WriteJsonl("BoolQ/val.jsonl", new { question = "q", passage = "p", idx = 0, label = true });
        WriteJsonl("WiC/train.jsonl", new { word = "bank", sentence1 = "He sat on the bank.", sentence2 = "She went to the bank.", idx = 0, label = false, start1 = 14, start2 = 16, end1 = 18, end2 = 20, version = 1.1 });
        WriteJsonl("WiC/val.jsonl", new { word = "w", sentence1 = "a", sentence2 = "b", idx = 0, label = true });
        WriteJsonl("CB/train.jsonl", new { premise = "It is raining.", hypothesis = "It is dry.", label = "contradiction", idx = 0 },
            new { premise = "p", hypothesis = "h", label = "neutral", idx = 1 });
        WriteJsonl("CB/val.jsonl", new { premise = "p", hypothesis = "h", label = "entailment", idx = 0 });

        var boolq = PaperTasks.Load("boolq", data.Root, Options with { LabelStyle = LabelStyle.Words });
        Assert.Equal(new Example("superglue-boolq question: is the sky blue passage: The sky is blue.", "True"), boolq.Train[0]);
        Assert.Equal("False", boolq.Train[1].Target);

        var wic = PaperTasks.Load("wic", data.Root, Options);
        Assert.Equal(new Example("superglue-wic sentence1: He sat on the bank. sentence2: She went to the bank. word: bank", "0"), wic.Train[0]);

        var cb = PaperTasks.Load("cb", data.Root, Options);
        Assert.Equal(new Example("superglue-cb premise: It is raining. hypothesis: It is dry.", "1"), cb.Train[0]);
        Assert.Equal("2", cb.Train[1].Target);
        Assert.Equal(["0", "1", "2"], cb.Labels!);
    }

    [Fact]
    public void Wsc_marks_the_noun_with_stars_and_the_pronoun_with_hashes_as_t5()
    {
        WriteJsonl("WSC/train.jsonl",
            new { text = "This is a test sentence .", target = new { span1_index = 3, span1_text = "test", span2_index = 0, span2_text = "This" }, idx = 0, label = false },
            new { text = "Mark told Pete many lies about himself .", target = new { span1_index = 0, span1_text = "Mark", span2_index = 6, span2_text = "himself" }, idx = 1, label = true });
        WriteJsonl("WSC/val.jsonl", new { text = "a b", target = new { span1_index = 0, span1_text = "a", span2_index = 1, span2_text = "b" }, idx = 0, label = true });

        var wsc = PaperTasks.Load("wsc", data.Root, Options);

        Assert.Equal(new Example("superglue-wsc.fixed text: # This # is a * test * sentence .", "0"), wsc.Train[0]);
        Assert.Equal(new Example("superglue-wsc.fixed text: * Mark * told Pete many lies about # himself # .", "1"), wsc.Train[1]);
    }
}
