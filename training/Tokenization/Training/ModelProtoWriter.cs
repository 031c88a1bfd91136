using Accept.Training.Tokenization.SentencePiece;

namespace Accept.Training.Tokenization.Training;

/// <summary>Serializes a T5-layout unigram ModelProto (pad 0, eos 1, unk 2, no BOS) as sentencepiece writes it.</summary>
internal static class ModelProtoWriter
{
    public const int PadId = 0, EosId = 1, UnkId = 2;

    /// <param name="pieces">The whole vocabulary in id order, the three special pieces first.</param>
    /// <param name="normalizerName">Normalisation rule name recorded in the model.</param>
    /// <param name="charsmap">sentencepiece precompiled charsmap; empty means identity.</param>
    public static byte[] Write(IReadOnlyList<ModelPiece> pieces, string normalizerName, ReadOnlySpan<byte> charsmap)
    {
        var model = new ProtoWriter();
        foreach (var piece in pieces)
        {
            var p = new ProtoWriter();
            p.WriteString(SentencePieceModel.PiecePiece, piece.Piece);
            p.WriteFloat(SentencePieceModel.PieceScore, piece.Score);
            if (piece.Type != PieceType.Normal)
                p.WriteInt32(SentencePieceModel.PieceTypeField, (int)piece.Type);
            model.WriteBytes(SentencePieceModel.ModelPieces, p.ToArray());
        }

        var trainer = new ProtoWriter();
        trainer.WriteInt32(SentencePieceModel.TrainerModelType, (int)ModelType.Unigram);
        trainer.WriteInt32(SentencePieceModel.TrainerVocabSize, pieces.Count);
        trainer.WriteBool(SentencePieceModel.TrainerByteFallback, false);
        trainer.WriteInt32(SentencePieceModel.TrainerUnkId, UnkId);
        trainer.WriteInt32(SentencePieceModel.TrainerBosId, -1);
        trainer.WriteInt32(SentencePieceModel.TrainerEosId, EosId);
        trainer.WriteInt32(SentencePieceModel.TrainerPadId, PadId);
        trainer.WriteString(TrainerUnkPiece, "<unk>");
        trainer.WriteString(TrainerEosPiece, "</s>");
        trainer.WriteString(TrainerPadPiece, "<pad>");
        model.WriteBytes(SentencePieceModel.ModelTrainerSpec, trainer.ToArray());

        var normalizer = new ProtoWriter();
        normalizer.WriteString(SentencePieceModel.NormalizerName, normalizerName);
        if (!charsmap.IsEmpty)
            normalizer.WriteBytes(SentencePieceModel.NormalizerCharsmap, charsmap);
        normalizer.WriteBool(SentencePieceModel.NormalizerAddDummyPrefix, true);
        normalizer.WriteBool(SentencePieceModel.NormalizerRemoveExtraWhitespaces, true);
        normalizer.WriteBool(SentencePieceModel.NormalizerEscapeWhitespaces, true);
        model.WriteBytes(SentencePieceModel.ModelNormalizerSpec, normalizer.ToArray());
        return model.ToArray();
    }

    private const int TrainerUnkPiece = 45, TrainerEosPiece = 47, TrainerPadPiece = 48;
}
