using System.Globalization;
using Accept.Training.Data.Formats;

namespace Accept.Training.Data.Paper;

internal static class LabelParsing
{
    /// <summary>The index of a row's label among <paramref name="values"/>, or an error listing them.</summary>
    public static int ClassIndex(TextRow row, string field, params string[] values)
    {
        var value = row.Require(field);
        var index = Array.IndexOf(values, value);
        return index >= 0 ? index : throw row.Error(field, $"expected one of {string.Join(", ", values)}, found '{value}'");
    }

    public static double Number(TextRow row, string field)
    {
        var value = row.Require(field);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw row.Error(field, $"expected a number, found '{value}'");
    }
}
