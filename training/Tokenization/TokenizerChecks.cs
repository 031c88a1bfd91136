namespace Accept.Training.Tokenization;

/// <summary>Consistency checks between a tokenizer and the model that will read its ids.</summary>
public static class TokenizerChecks
{
    /// <summary>
    /// Throws when the tokenizer can emit ids the model's embedding has no row for. A smaller tokenizer is
    /// fine: T5 checkpoints pad their embedding (t5-base: 32,100 pieces, 32,128 rows).
    /// </summary>
    public static void EnsureFitsModel(ITextTokenizer tokenizer, int modelVocabSize, string tokenizerPath, string modelDir)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabSize > modelVocabSize)
            throw new InvalidDataException(
                $"vocabulary mismatch: tokenizer {tokenizerPath} has {tokenizer.VocabSize} pieces but the model in {modelDir} " +
                $"has vocab_size {modelVocabSize}; ids {modelVocabSize}..{tokenizer.VocabSize - 1} would have no embedding");
        foreach (var (name, id) in new[] { ("pad", tokenizer.PadId), ("eos", tokenizer.EosId), ("unk", tokenizer.UnkId) })
        {
            if (id < 0 || id >= modelVocabSize)
                throw new InvalidDataException($"tokenizer {tokenizerPath}: {name} id {id} is outside the vocabulary of the model in {modelDir} (vocab_size {modelVocabSize})");
        }
    }
}
