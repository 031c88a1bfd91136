using System.Globalization;

namespace Accept.Training.Config.Json;

/// <summary>
/// The value checks of the validation pass: each returns the value (null when the key is absent) or throws a
/// <see cref="SpecException"/> naming the JSON path, what was expected and what was found.
/// </summary>
internal static class SpecValues
{
    public static int? Positive(int? value, string path) => AtLeast(value, 1, path);

    public static int? NonNegative(int? value, string path) => AtLeast(value, 0, path);

    public static int? AtLeast(int? value, int min, string path) => value is not { } x || x >= min ? value
        : throw new SpecException($"{path}: expected {min switch { 0 => "a non-negative integer", 1 => "a positive integer", _ => $"an integer of at least {min}" }}, got {x.ToString(CultureInfo.InvariantCulture)}");

    public static double? Positive(double? value, string path) => Number(value, allowZero: false, path);

    public static double? NonNegative(double? value, string path) => Number(value, allowZero: true, path);

    private static double? Number(double? value, bool allowZero, string path) =>
        value is not { } x || (double.IsFinite(x) && x >= 0 && (allowZero || x > 0)) ? value
            : throw new SpecException($"{path}: expected {(allowZero ? "a non-negative" : "a positive")} number, got {x.ToString("R", CultureInfo.InvariantCulture)}");

    /// <summary>Absent (null) or a string with something other than white space in it.</summary>
    public static string? NonEmpty(string? value, string path) => value is null || !string.IsNullOrWhiteSpace(value) ? value
        : throw new SpecException($"{path}: expected a non-empty string, got {Quoted(value)}");

    public static string Required(string? value, string path) => NonEmpty(value, path) ?? throw new SpecException($"{path}: required");

    /// <summary>snake_case or any casing (<see cref="SpecEnum"/>); null when absent.</summary>
    public static T? Enum<T>(string? value, string path) where T : struct, System.Enum =>
        NonEmpty(value, path) is { } text ? SpecEnum.Parse<T>(text, path) : null;

    public static string Quoted(string text) => $"\"{Printable(text)}\"";

    /// <summary>Text from the document as an error line quotes it: at most 80 characters (<see cref="SpecException"/> escapes control characters).</summary>
    public static string Printable(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
