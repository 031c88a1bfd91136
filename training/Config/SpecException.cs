namespace Accept.Training.Config;

/// <summary>
/// A run spec (file or command-line override) that cannot be used; the message names the key and what was expected.
/// It is one line whatever text from the document it quotes: control characters (a key or value holding a newline)
/// are shown escaped, as JSON writes them (\n, \t, \u0000).
/// </summary>
public sealed class SpecException(string message) : Exception(Escaped(message))
{
    private static string Escaped(string text) => text.Any(char.IsControl)
        ? string.Concat(text.Select(c => c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ when char.IsControl(c) => $"\\u{(int)c:x4}", _ => c.ToString() }))
        : text;
}
