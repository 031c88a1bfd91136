namespace Accept.Training.Tokenization;

/// <summary>What the engine needs from a tokenizer (T5's SentencePiece one in practice).</summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    int PadId { get; }
    int EosId { get; }
    int UnkId { get; }

    /// <summary>Token ids of <paramref name="text"/>; T5 appends EOS to every sequence it reads.</summary>
    int[] Encode(string text, bool addEos = true);

    /// <summary>Text of <paramref name="ids"/>, special ids (pad, eos) dropped.</summary>
    string Decode(IEnumerable<int> ids);
}
