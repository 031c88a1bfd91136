using Accept.Training.Tokenization.SentencePiece;
using Microsoft.ML.Tokenizers;

namespace Accept.Training.Tokenization;

/// <summary>
/// T5's SentencePiece unigram tokenizer, producing the ids the <c>sentencepiece</c> library produces.
/// Microsoft.ML.Tokenizers applies the model's normaliser (precompiled charsmap, whitespace rules); what it
/// does differently from sentencepiece is handled here: models without BOS, characters the charsmap deletes,
/// tie-breaking between equal-scoring segmentations, runs of unknown characters, and decoding.
/// </summary>
public sealed class T5Tokenizer : ITextTokenizer
{
    public const string ModelFileName = "spiece.model";
    private const char SpaceSymbol = '\u2581';

    private readonly SentencePieceTokenizer _inner;
    private readonly SpmDecoder _decoder;
    private readonly CharsmapDeletions _deletions;
    private readonly UnigramViterbi _viterbi;

    private T5Tokenizer(string path, SentencePieceModel model, SentencePieceTokenizer inner)
    {
        ModelPath = path;
        Model = model;
        _inner = inner;
        _decoder = new SpmDecoder(model);
        _deletions = CharsmapDeletions.From(model.PrecompiledCharsmap.Span, path);
        _viterbi = new UnigramViterbi(model);
    }

    /// <summary>The spiece.model file this tokenizer was read from.</summary>
    public string ModelPath { get; }

    public SentencePieceModel Model { get; }

    public int VocabSize => Model.Pieces.Count;
    public int PadId => Model.PadId;
    public int EosId => Model.EosId;
    public int UnkId => Model.UnkId;

    /// <summary>Loads <paramref name="path"/>: a spiece.model file, or a directory containing one.</summary>
    public static T5Tokenizer Load(string path)
    {
        var file = ResolveModelFile(path);
        var model = SentencePieceModel.Parse(File.ReadAllBytes(file), file);
        if (model.ModelType != ModelType.Unigram)
            throw new InvalidDataException($"{file}: trainer_spec.model_type is {model.ModelType}; T5's tokenizer is a Unigram model");
        if (model.PadId < 0 || model.EosId < 0)
            throw new InvalidDataException($"{file}: T5 needs pad and eos pieces, but trainer_spec has pad_id {model.PadId}, eos_id {model.EosId}");

        // ML.Tokenizers 2.0.1 indexes the vocabulary with bos_id and throws when it is -1 (T5 has no BOS).
        // Naming the pad piece as BOS is harmless: we never ask it to add BOS, and pad is a control piece
        // that cannot match raw text.
        var bytes = model.BosId >= 0 ? File.ReadAllBytes(file) : model.WithBosId(model.PadId);
        using var stream = new MemoryStream(bytes, writable: false);
        SentencePieceTokenizer inner;
        try
        {
            inner = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library parses fields our reader skips (and validates them its own way); whatever it refuses is a bad model file.
            throw new InvalidDataException($"{file} is not a SentencePiece model Microsoft.ML.Tokenizers can read: {e.GetType().Name}: {e.Message}", e);
        }
        var tokenizer = new T5Tokenizer(file, model, inner);
        return tokenizer;
    }

    public int[] Encode(string text, bool addEos = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? marked = null;
        if (text.Contains(CharsmapDeletions.Marker))
            text = _deletions.Remove(text);
        else
            marked = _deletions.Mark(text);
        // ML.Tokenizers applies the model's normaliser; the segmentation is sentencepiece's own (UnigramViterbi),
        // because ML.Tokenizers resolves equal-scoring segmentations differently.
        _inner.EncodeToTokens(marked ?? text, out var normalized, addBeginningOfSentence: false, addEndOfSentence: false);
        normalized ??= marked ?? text;
        if (marked is not null)
            normalized = CharsmapDeletions.Unmark(normalized, SpaceSymbol, Model.RemoveExtraWhitespaces);
        var raw = _viterbi.Encode(normalized);
        var ids = new List<int>(raw.Count + 1);
        foreach (var id in raw)
        {
            // The lattice has one <unk> per unknown character; sentencepiece then merges each run into one.
            if (id == UnkId && ids.Count > 0 && ids[^1] == UnkId)
                continue;
            ids.Add(id);
        }
        if (addEos)
            ids.Add(EosId);
        return [.. ids];
    }

    public string Decode(IEnumerable<int> ids) => _decoder.Decode(ids);

    private static string ResolveModelFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            var file = Path.Combine(path, ModelFileName);
            return File.Exists(file)
                ? file
                : throw new FileNotFoundException($"tokenizer directory {path} has no {ModelFileName}", file);
        }
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"tokenizer model {path} does not exist (expected a {ModelFileName} file or a directory containing one)", path);
    }
}
