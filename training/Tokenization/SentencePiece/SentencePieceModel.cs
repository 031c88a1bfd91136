namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// The parts of a SentencePiece <c>ModelProto</c> (sentencepiece_model.proto) that the tokenizer needs,
/// read with our own wire-format reader. The original bytes are kept so a patched copy can be produced
/// with every other field (normaliser charsmap included) untouched.
/// </summary>
public sealed class SentencePieceModel
{
    // ModelProto, TrainerSpec and NormalizerSpec field numbers from sentencepiece_model.proto.
    internal const int ModelPieces = 1, ModelTrainerSpec = 2, ModelNormalizerSpec = 3;
    internal const int PiecePiece = 1, PieceScore = 2, PieceTypeField = 3;
    internal const int TrainerModelType = 3, TrainerVocabSize = 4, TrainerByteFallback = 35;
    internal const int TrainerUnkId = 40, TrainerBosId = 41, TrainerEosId = 42, TrainerPadId = 43;
    internal const int NormalizerName = 1, NormalizerCharsmap = 2, NormalizerAddDummyPrefix = 3;
    internal const int NormalizerRemoveExtraWhitespaces = 4, NormalizerEscapeWhitespaces = 5;

    /// <summary>The longest piece accepted. sentencepiece's trainer caps pieces at 16 characters (max_sentencepiece_length);
    /// user-defined pieces may be longer, but a piece of ~100,000 characters overflows the stack of Microsoft.ML.Tokenizers'
    /// double-array builder, so a model is refused before it reaches the library.</summary>
    public const int MaxPieceLength = 1024;

    private readonly byte[] _bytes;

    private SentencePieceModel(byte[] bytes) => _bytes = bytes;

    public IReadOnlyList<ModelPiece> Pieces { get; private init; } = [];
    public ModelType ModelType { get; private init; } = ModelType.Unigram;
    public int UnkId { get; private init; }
    public int BosId { get; private init; } = 1;
    public int EosId { get; private init; } = 2;
    public int PadId { get; private init; } = -1;
    public bool ByteFallback { get; private init; }
    public string NormalizationRuleName { get; private init; } = "";

    /// <summary>normalizer_spec.precompiled_charsmap; empty for identity normalisation.</summary>
    public ReadOnlyMemory<byte> PrecompiledCharsmap { get; private init; }
    public bool AddDummyPrefix { get; private init; } = true;
    public bool RemoveExtraWhitespaces { get; private init; } = true;

    /// <summary>Parses a serialized ModelProto; <paramref name="source"/> names it in errors.</summary>
    public static SentencePieceModel Parse(byte[] bytes, string source)
    {
        try
        {
            return ParseCore(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a SentencePiece model: {e.Message}", e);
        }
    }

    /// <summary>The serialized model with <c>trainer_spec.bos_id</c> replaced; all other bytes as read.</summary>
    public byte[] WithBosId(int bosId)
    {
        var writer = new ProtoWriter();
        var reader = new ProtoReader(_bytes);
        while (!reader.AtEnd)
        {
            var field = reader.Next(out var raw);
            if (field.Number == ModelTrainerSpec)
                writer.WriteBytes(ModelTrainerSpec, TrainerSpecWithBosId(field.Bytes, bosId));
            else
                writer.WriteRaw(raw);
        }
        return writer.ToArray();
    }

    private static byte[] TrainerSpecWithBosId(ReadOnlySpan<byte> spec, int bosId)
    {
        var writer = new ProtoWriter();
        var reader = new ProtoReader(spec);
        while (!reader.AtEnd)
        {
            var field = reader.Next(out var raw);
            if (field.Number != TrainerBosId)
                writer.WriteRaw(raw);
        }
        writer.WriteInt32(TrainerBosId, bosId);
        return writer.ToArray();
    }

    private static SentencePieceModel ParseCore(byte[] bytes)
    {
        var pieces = new List<ModelPiece>();
        ReadOnlySpan<byte> trainer = default, normalizer = default;
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var field = reader.Next(out _);
            switch (field.Number)
            {
                case ModelPieces:
                    Expect(field, WireType.LengthDelimited, "pieces");
                    pieces.Add(ParsePiece(field.Bytes, pieces.Count));
                    break;
                case ModelTrainerSpec:
                    Expect(field, WireType.LengthDelimited, "trainer_spec");
                    trainer = field.Bytes;
                    break;
                case ModelNormalizerSpec:
                    Expect(field, WireType.LengthDelimited, "normalizer_spec");
                    normalizer = field.Bytes;
                    break;
            }
        }
        if (pieces.Count == 0)
            throw new InvalidDataException("it has no vocabulary pieces");
        var firstId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < pieces.Count; id++)
        {
            if (!firstId.TryAdd(pieces[id].Piece, id))
                throw new InvalidDataException($"piece \"{pieces[id].Piece}\" appears twice (ids {firstId[pieces[id].Piece]} and {id})");
        }

        ModelType modelType = ModelType.Unigram;
        int unk = 0, bos = 1, eos = 2, pad = -1;
        var byteFallback = false;
        var trainerReader = new ProtoReader(trainer);
        while (!trainerReader.AtEnd)
        {
            var field = trainerReader.Next(out _);
            switch (field.Number)
            {
                case TrainerModelType: modelType = (ModelType)field.AsInt32(); break;
                case TrainerByteFallback: byteFallback = field.AsBool(); break;
                case TrainerUnkId: unk = field.AsInt32(); break;
                case TrainerBosId: bos = field.AsInt32(); break;
                case TrainerEosId: eos = field.AsInt32(); break;
                case TrainerPadId: pad = field.AsInt32(); break;
            }
        }

        var name = "";
        byte[] charsmap = [];
        bool addDummyPrefix = true, removeExtraWhitespaces = true;
        var normalizerReader = new ProtoReader(normalizer);
        while (!normalizerReader.AtEnd)
        {
            var field = normalizerReader.Next(out _);
            switch (field.Number)
            {
                case NormalizerName: name = field.AsString(); break;
                case NormalizerCharsmap: charsmap = field.Bytes.ToArray(); break;
                case NormalizerAddDummyPrefix: addDummyPrefix = field.AsBool(); break;
                case NormalizerRemoveExtraWhitespaces: removeExtraWhitespaces = field.AsBool(); break;
            }
        }

        foreach (var (id, what) in new[] { (unk, "unk_id"), (eos, "eos_id"), (pad, "pad_id"), (bos, "bos_id") })
        {
            if (id < -1 || id >= pieces.Count)
                throw new InvalidDataException($"trainer_spec.{what} = {id} is outside the vocabulary of {pieces.Count} pieces");
        }
        if (unk < 0 || pieces[unk].Type != PieceType.Unknown)
            throw new InvalidDataException($"trainer_spec.unk_id = {unk} does not name an UNKNOWN piece");
        // Byte fallback encodes unknown characters as the pieces <0x00>…<0xFF>; Microsoft.ML.Tokenizers indexes them without checking.
        if (byteFallback)
        {
            var bytePieces = pieces.Where(p => p.Type == PieceType.Byte).Select(p => p.Piece).ToHashSet(StringComparer.Ordinal);
            var missing = Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>").FirstOrDefault(b => !bytePieces.Contains(b));
            if (missing is not null)
                throw new InvalidDataException($"trainer_spec.byte_fallback is set but the BYTE piece {missing} is missing (all 256, <0x00> to <0xFF>, are needed)");
        }

        return new SentencePieceModel(bytes)
        {
            Pieces = pieces,
            ModelType = modelType,
            UnkId = unk,
            BosId = bos,
            EosId = eos,
            PadId = pad,
            ByteFallback = byteFallback,
            NormalizationRuleName = name,
            PrecompiledCharsmap = charsmap,
            AddDummyPrefix = addDummyPrefix,
            RemoveExtraWhitespaces = removeExtraWhitespaces,
        };
    }

    private static ModelPiece ParsePiece(ReadOnlySpan<byte> bytes, int id)
    {
        string? piece = null;
        var score = 0f;
        var type = PieceType.Normal;
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var field = reader.Next(out _);
            switch (field.Number)
            {
                case PiecePiece:
                    Expect(field, WireType.LengthDelimited, $"pieces[{id}].piece");
                    piece = field.AsString();
                    break;
                case PieceScore:
                    Expect(field, WireType.Fixed32, $"pieces[{id}].score");
                    score = field.AsFloat();
                    break;
                case PieceTypeField:
                    Expect(field, WireType.Varint, $"pieces[{id}].type");
                    type = (PieceType)field.AsInt32();
                    if (!Enum.IsDefined(type))
                        throw new InvalidDataException($"pieces[{id}].type = {(int)type} is not a SentencePiece piece type");
                    break;
            }
        }
        if (piece is null) throw new InvalidDataException($"pieces[{id}] has no piece text");
        if (piece.Length == 0) throw new InvalidDataException($"pieces[{id}].piece is empty (every piece needs at least one character)");
        if (piece.Length > MaxPieceLength)
            throw new InvalidDataException($"pieces[{id}].piece is {piece.Length} characters long (at most {MaxPieceLength} accepted)");
        if (!float.IsFinite(score)) throw new InvalidDataException($"pieces[{id}].score is {score} (expected a finite number)");
        return new ModelPiece(piece, score, type);
    }

    private static void Expect(ProtoField field, WireType expected, string what)
    {
        if (field.WireType != expected)
            throw new InvalidDataException($"{what} has wire type {field.WireType}, expected {expected}");
    }
}
