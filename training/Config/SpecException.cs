namespace Accept.Training.Config;

/// <summary>
/// A run spec (file or command-line override) that cannot be used; the message names the key and what was expected.
/// It is one line whatever text from the document it quotes: control characters (a key or value holding a newline)
/// are shown escaped.
/// </summary>
public sealed class SpecException(string message) : Exception(JsonObjectReader.Escaped(message));
