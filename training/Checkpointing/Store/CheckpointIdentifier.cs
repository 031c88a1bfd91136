using System.Text.RegularExpressions;

namespace Accept.Training.Checkpointing.Store;

/// <summary>
/// The only strings that may become part of a checkpoint path or blob name: lower-case letters, digits,
/// '.', '_' and '-', starting with a letter or digit, at most 63 characters, never "..". That rules out
/// separators, traversal and names Azure or a file system would treat specially.
/// </summary>
public static partial class CheckpointIdentifier
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) =>
        value is not null && Pattern().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>Returns <paramref name="value"/>, or throws naming <paramref name="what"/> and the rule.</summary>
    public static string Validate(string? value, string what) =>
        IsValid(value)
            ? value!
            : throw new ArgumentException(
                $"Checkpoint {what} '{value}' is not a valid identifier: expected 1-63 characters of a-z, 0-9, '.', '_', '-', " +
                "starting with a letter or digit, without '..'.", what);
}
