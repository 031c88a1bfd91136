using System.Text.Json;
using System.Text.Json.Nodes;
using Accept.Training.IO;

namespace Accept.Training.T5;

/// <summary>The fields of a Hugging Face T5 `config.json` this backbone uses.</summary>
public sealed record T5Config
{
    public required int VocabSize { get; init; }
    public required int DModel { get; init; }
    public required int DKv { get; init; }
    public required int DFf { get; init; }
    public required int NumHeads { get; init; }
    public required int NumLayers { get; init; }
    public required int NumDecoderLayers { get; init; }
    public int RelativeAttentionNumBuckets { get; init; } = 32;
    public int RelativeAttentionMaxDistance { get; init; } = 128;
    /// <summary>`relu` (T5 v1.0) or `gated-gelu` (v1.1 / Flan, gelu_new inside).</summary>
    public string FeedForwardProj { get; init; } = "relu";
    public bool TieWordEmbeddings { get; init; } = true;
    public double LayerNormEpsilon { get; init; } = 1e-6;
    public long PadTokenId { get; init; }
    public long EosTokenId { get; init; } = 1;
    public long DecoderStartTokenId { get; init; }

    public bool IsGated => FeedForwardProj == "gated-gelu";

    /// <summary>v1.0: tied embeddings with the d_model^-0.5 rescale; v1.1: untied lm_head.</summary>
    public string Architecture => TieWordEmbeddings ? "T5 v1.0 (tied embeddings, LM head rescaled)" : "T5 v1.1 (untied lm_head)";

    /// <summary>t5-small's sizes, as used by the step benchmark.</summary>
    public static T5Config Small => new()
    {
        VocabSize = 32128, DModel = 512, DKv = 64, DFf = 2048, NumHeads = 8, NumLayers = 6, NumDecoderLayers = 6,
    };

    public static T5Config Load(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException(path, "file not found");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new CheckpointException(path, "malformed JSON: expected an object");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"malformed JSON: {e.Message}", e);
        }

        var modelType = Text(path, root, "model_type", null);
        if (modelType != "t5")
            throw new CheckpointException(path, $"model_type '{modelType}' is not supported: expected 't5'");
        var vocab = Int(path, root, "vocab_size", null);
        var dModel = Int(path, root, "d_model", null);
        var dKv = Int(path, root, "d_kv", null);
        var dFf = Int(path, root, "d_ff", null);
        var heads = Int(path, root, "num_heads", null);
        var layers = Int(path, root, "num_layers", null);
        var config = new T5Config
        {
            VocabSize = vocab,
            DModel = dModel,
            DKv = dKv,
            DFf = dFf,
            NumHeads = heads,
            NumLayers = layers,
            NumDecoderLayers = Int(path, root, "num_decoder_layers", layers),
            RelativeAttentionNumBuckets = Int(path, root, "relative_attention_num_buckets", 32),
            RelativeAttentionMaxDistance = Int(path, root, "relative_attention_max_distance", 128),
            FeedForwardProj = Text(path, root, "feed_forward_proj", "relu"),
            TieWordEmbeddings = root["tie_word_embeddings"] is { } tie ? Get<bool>(path, "tie_word_embeddings", tie) : true,
            LayerNormEpsilon = root["layer_norm_epsilon"] is { } eps ? Get<double>(path, "layer_norm_epsilon", eps) : 1e-6,
            PadTokenId = Int(path, root, "pad_token_id", 0),
            EosTokenId = Int(path, root, "eos_token_id", 1),
            DecoderStartTokenId = Int(path, root, "decoder_start_token_id", 0),
        };
        if (config.FeedForwardProj is not ("relu" or "gated-gelu"))
            throw new CheckpointException(path, $"feed_forward_proj '{config.FeedForwardProj}' is not supported: expected 'relu' or 'gated-gelu'");
        foreach (var (name, value) in new[] { ("vocab_size", config.VocabSize), ("d_model", config.DModel), ("d_kv", config.DKv),
                     ("d_ff", config.DFf), ("num_heads", config.NumHeads), ("num_layers", config.NumLayers),
                     ("num_decoder_layers", config.NumDecoderLayers), ("relative_attention_num_buckets", config.RelativeAttentionNumBuckets) })
        {
            if (value <= 0)
                throw new CheckpointException(path, $"'{name}' must be positive, found {value}");
        }
        return config;
    }

    /// <summary>HF-style config.json text.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
            ["model_type"] = "t5",
            ["vocab_size"] = VocabSize,
            ["d_model"] = DModel,
            ["d_kv"] = DKv,
            ["d_ff"] = DFf,
            ["num_heads"] = NumHeads,
            ["num_layers"] = NumLayers,
            ["num_decoder_layers"] = NumDecoderLayers,
            ["relative_attention_num_buckets"] = RelativeAttentionNumBuckets,
            ["relative_attention_max_distance"] = RelativeAttentionMaxDistance,
            ["feed_forward_proj"] = FeedForwardProj,
            ["dense_act_fn"] = IsGated ? "gelu_new" : "relu",
            ["is_gated_act"] = IsGated,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["layer_norm_epsilon"] = LayerNormEpsilon,
            ["dropout_rate"] = 0.0,
            ["initializer_factor"] = 1.0,
            ["is_encoder_decoder"] = true,
            ["pad_token_id"] = PadTokenId,
            ["eos_token_id"] = EosTokenId,
            ["decoder_start_token_id"] = DecoderStartTokenId,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static int Int(string path, JsonObject root, string field, int? fallback)
    {
        if (root[field] is not { } node)
            return fallback ?? throw new CheckpointException(path, $"missing field '{field}'");
        return Get<int>(path, field, node);
    }

    private static string Text(string path, JsonObject root, string field, string? fallback)
    {
        if (root[field] is not { } node)
            return fallback ?? throw new CheckpointException(path, $"missing field '{field}'");
        return Get<string>(path, field, node);
    }

    private static T Get<T>(string path, string field, JsonNode node)
    {
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new CheckpointException(path, $"field '{field}' must be {typeof(T).Name}, found {node.ToJsonString()}", e);
        }
    }
}
