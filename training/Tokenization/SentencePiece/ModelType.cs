namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>SentencePiece's <c>TrainerSpec.ModelType</c> values.</summary>
public enum ModelType
{
    Unigram = 1,
    Bpe = 2,
    Word = 3,
    Char = 4,
}
