using Accept.Training.Data.Demo;

namespace Accept.Tests.Data;

/// <summary>The demo's text clean-up on hand-made inputs (the real corpora are checked in DemoTaskTests).</summary>
[Trait("Category", "Fast")]
public sealed class DemoTextTests
{
    [Fact]
    public void Email_loses_headers_mime_parts_quoted_printable_html_and_entities()
    {
        const string raw =
            "From someone@example.com  Thu Aug 22 13:17:22 2002\n" +
            "Subject: Life Insurance - Why Pay More?\n" +
            "Content-Type: text/html; charset=\"iso-8859-1\"\n" +
            "Content-Transfer-Encoding: quoted-printable\n" +
            "\n" +
            "------=_NextPart_000\n" +
            "Content-Type: text/html;\n" +
            "\tcharset=\"iso-8859-1\"\n" +
            "<HTML><HEAD><STYLE>p { color: red }</STYLE></HEAD><BODY><!-- hidden -->\n" +
            "<P align=3D\"center\">Save&nbsp;up to 70% on   life =\n" +
            "insurance &amp; more.</P>\n" +
            "</BODY></HTML>\n";

        Assert.Equal("Save up to 70% on life insurance & more.", EmailText.Clean(raw, 1000));
        Assert.Equal("Save up to", EmailText.Clean(raw, 11));
    }

    [Fact]
    public void Email_without_a_body_is_empty()
    {
        Assert.Equal("", EmailText.Clean("Subject: nothing\nFrom: a@b.c", 100));
    }

    [Fact]
    public void Address_is_cut_into_whole_sentence_passages_within_the_cap()
    {
        var text = string.Join(" ", Enumerable.Range(0, 12).Select(i => $"Sentence number {i} says something about the Union and its people."));

        var passages = PartyTask.Passages(text, 150);

        Assert.True(passages.Count >= 4);
        Assert.All(passages, p => Assert.InRange(p.Length, 80, 150));
        Assert.All(passages, p => Assert.EndsWith(".", p));
        Assert.StartsWith("Sentence number 0 ", passages[0]);
        Assert.Equal(12, passages.Sum(p => p.Split("Sentence number").Length - 1));
    }
}
