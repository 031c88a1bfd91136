using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Accept.Training.Data.Demo;

/// <summary>Turns a raw RFC 822 message into plain body text a small model can read: headers dropped,
/// quoted-printable decoded, MIME scaffolding, base64 blocks, HTML tags and entities removed, whitespace
/// collapsed, length capped.</summary>
internal static partial class EmailText
{
    public static string Clean(string raw, int maxChars)
    {
        var message = raw.Replace("\r\n", "\n");
        var split = message.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = split < 0 ? message : message[..split];
        var body = split < 0 ? "" : message[(split + 2)..];

        if (headers.Contains("quoted-printable", StringComparison.OrdinalIgnoreCase) ||
            body.Contains("Content-Transfer-Encoding: quoted-printable", StringComparison.OrdinalIgnoreCase))
            body = DecodeQuotedPrintable(body);

        body = MimeLine().Replace(body, " ");
        body = Base64Line().Replace(body, " ");
        body = StyleOrScript().Replace(body, " ");
        body = HtmlComment().Replace(body, " ");
        body = HtmlTag().Replace(body, " ");
        body = WebUtility.HtmlDecode(body);
        // The package decoded some Windows-1252 bytes as U+FFFD; the original character is lost.
        body = body.Replace("\uFFFD", "");
        body = Whitespace().Replace(body, " ").Trim();
        return body.Length <= maxChars ? body : body[..maxChars].TrimEnd();
    }

    /// <summary>Soft line breaks ("=" at line end) vanish; "=XX" becomes the byte XX (read as Latin-1, the
    /// common charset of this 2002 corpus).</summary>
    private static string DecodeQuotedPrintable(string text)
    {
        text = text.Replace("=\n", "");
        return QuotedByte().Replace(text, m => Encoding.Latin1.GetString([Convert.ToByte(m.Groups[1].Value, 16)]));
    }

    [GeneratedRegex(@"=([0-9A-Fa-f]{2})")]
    private static partial Regex QuotedByte();

    /// <summary>Multipart boundaries and the headers of each part.</summary>
    [GeneratedRegex(@"^(--\S+|Content-[\w-]+:.*|\s+(charset|boundary|name|filename)=.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MimeLine();

    [GeneratedRegex(@"^[A-Za-z0-9+/=]{60,}$", RegexOptions.Multiline)]
    private static partial Regex Base64Line();

    [GeneratedRegex(@"<(style|script)\b.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex StyleOrScript();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex HtmlComment();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
