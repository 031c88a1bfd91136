using Accept.Training.Tokenization;

namespace Accept.Tests.Engine;

/// <summary>A small whitespace tokenizer over a fixed vocabulary (pad 0, eos 1, unk 2), with T5's EOS convention.</summary>
internal sealed class WordTokenizer : ITextTokenizer
{
    private readonly List<string> _words = ["<pad>", "</s>", "<unk>"];

    public WordTokenizer(IEnumerable<string> words) => _words.AddRange(words.Distinct());

    public int VocabSize => _words.Count;
    public int PadId => 0;
    public int EosId => 1;
    public int UnkId => 2;

    public int[] Encode(string text, bool addEos = true)
    {
        var ids = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => _words.IndexOf(w) is var i and >= 0 ? i : UnkId);
        return (addEos ? ids.Append(EosId) : ids).ToArray();
    }

    public string Decode(IEnumerable<int> ids) => string.Join(' ', ids.Where(i => i > EosId).Select(i => _words[i]));
}
