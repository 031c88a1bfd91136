namespace Accept.Training.Config;

/// <summary>Enum values as specs and command lines spell them (snake_case), read and written in one place.</summary>
public static class SpecEnum
{
    /// <summary>Accepts snake_case or any casing: "matthews_correlation" → MatthewsCorrelation; otherwise a <see cref="SpecException"/> naming <paramref name="path"/> (a JSON path or a flag).</summary>
    public static T Parse<T>(string text, string path) where T : struct, Enum
    {
        var wanted = text.Replace("_", "").Replace("-", "");
        foreach (var name in Enum.GetNames<T>())
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
                return Enum.Parse<T>(name);
        var options = Enum.GetNames<T>().Select(SnakeCase);
        throw new SpecException($"{path}: expected one of {string.Join(", ", options)}, got \"{text}\"");
    }

    public static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
