namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>SentencePiece's <c>ModelProto.SentencePiece.Type</c> values.</summary>
public enum PieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
