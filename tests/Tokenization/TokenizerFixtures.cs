using System.Text.Json;

namespace Accept.Tests.Tokenization;

/// <summary>The sentencepiece-produced tokenizer fixture (tests/fixtures/tokenizer).</summary>
internal static class TokenizerFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizer");
    public static string ModelFile => Path.Combine(Directory, "spiece.model");

    public sealed record GoldenCase(string Text, int[] Ids, int[] IdsWithEos, string Decoded)
    {
        public override string ToString() => JsonSerializer.Serialize(Text);
    }

    public static IReadOnlyList<GoldenCase> GoldenCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "tokenizer_golden.json")));
        var root = doc.RootElement;
        return root.GetProperty("cases").EnumerateArray()
            .Concat(root.GetProperty("extra_cases").EnumerateArray())
            .Select(c => new GoldenCase(
                c.GetProperty("text").GetString()!,
                Ints(c.GetProperty("ids")),
                Ints(c.GetProperty("ids_with_eos")),
                c.GetProperty("decoded").GetString()!))
            .ToList();
    }

    public static TheoryData<int> GoldenCaseIndices()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < GoldenCases().Count; i++)
            data.Add(i);
        return data;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
