namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>One vocabulary entry of a SentencePiece model; its id is its position.</summary>
public sealed record ModelPiece(string Piece, float Score, PieceType Type);
