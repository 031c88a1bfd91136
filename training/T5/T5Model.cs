using Accept.Training.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Accept.Training.T5;

/// <summary>
/// A frozen T5 encoder-decoder that computes what Hugging Face's `T5ForConditionalGeneration` computes
/// for the same checkpoint. Its parameters never require gradients; gradients flow to its inputs
/// (e.g. prompt embeddings concatenated before <see cref="Encode"/>). Parameter names are HF's.
/// </summary>
public sealed class T5Model : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    // Field names are HF's parameter names: RegisterComponents turns them into state_dict keys.
    private readonly Embedding shared;
    private readonly T5Encoder encoder;
    private readonly T5Decoder decoder;
    private readonly Linear? lm_head;

    private T5Model(T5Config config) : base(nameof(T5Model))
    {
        Config = config;
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5Encoder(config);
        decoder = new T5Decoder(config);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        RegisterComponents();
        foreach (var p in parameters())
            p.requires_grad = false;
        eval();
    }

    public T5Config Config { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Where the weights are (every parameter moves together; see <see cref="Load"/>).</summary>
    public Device Device => shared.weight!.device;

    /// <summary>Loads `config.json` and `model.safetensors` (or a sharded index) from an HF model directory.</summary>
    public static T5Model Load(string directory, Device? device = null)
    {
        if (!Directory.Exists(directory))
            throw new CheckpointException(directory, "model directory not found");
        var config = T5Config.Load(Path.Combine(directory, "config.json"));
        var model = new T5Model(config);
        try
        {
            using var checkpoint = SafetensorsCheckpoint.Open(directory);
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in model.named_parameters())
            {
                var source = StoredName(checkpoint, name);
                var info = checkpoint.Info(source);
                if (!info.Shape.SequenceEqual(parameter.shape))
                    throw new CheckpointException(checkpoint.PathOf(source),
                        $"tensor '{source}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", parameter.shape)}]");
                using var value = checkpoint.ReadFloat32(source);
                parameter.copy_(value);
            }
            if (device is not null)
                model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A randomly initialised model with HF's `_init_weights` scales (factor 1), for demos and benchmarks.</summary>
    public static T5Model CreateRandom(T5Config config, long seed)
    {
        var model = new T5Model(config);
        using var generator = new Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        // Explicit Scalars held until the method returns (see T5RelativePositionBias.Bucket).
        using var one = 1.0.ToScalar();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var std = InitStd(config, name);
            if (std is null)
                parameter.fill_(one);
            else
                parameter.normal_(0.0, std.Value, generator);
        }
        return model;
    }

    /// <summary>Writes `config.json` and `model.safetensors` (HF names, untied copies omitted as HF does), atomically.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var tensors = named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        SafetensorsWriter.Write(Path.Combine(directory, SafetensorsCheckpoint.SingleFile), tensors,
            new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"), Config.ToJson());
    }

    /// <summary>[B,S] token ids → [B,S,d] embeddings.</summary>
    public Tensor EmbedTokens(Tensor inputIds)
    {
        using (StepBreakdown.Time(StepBreakdown.Embeddings))
            return shared.forward(inputIds);
    }

    /// <summary>[B,S,d] embeddings and [B,S] mask → encoder output [B,S,d].</summary>
    public Tensor Encode(Tensor inputsEmbeds, Tensor attentionMask) => encoder.forward(inputsEmbeds, attentionMask);

    /// <summary>Decoder output after its final norm [B,T,d] (HF's decoder_last_hidden_state).</summary>
    public Tensor DecodeHidden(Tensor decoderInputIds, Tensor encoderHidden, Tensor encoderMask)
    {
        using var scope = torch.NewDisposeScope();
        return decoder.forward(EmbedTokens(decoderInputIds), encoderHidden, encoderMask).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [B,T,V] for decoder inputs [B,T] given the encoder output.</summary>
    public Tensor Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor encoderMask)
    {
        using var scope = torch.NewDisposeScope();
        return LmHead(DecodeHidden(decoderInputIds, encoderHidden, encoderMask)).MoveToOuterDisposeScope();
    }

    /// <summary>Logits [B,T,V]: inputsEmbeds [B,S,d] and attentionMask [B,S] through the encoder, decoderInputIds [B,T] through the decoder.</summary>
    public override Tensor forward(Tensor inputsEmbeds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var scope = torch.NewDisposeScope();
        var encoded = Encode(inputsEmbeds, attentionMask);
        return Decode(decoderInputIds, encoded, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>Mean cross-entropy over labels ≠ −100; logits [B,T,V], labels [B,T].</summary>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        using var section = StepBreakdown.Time(StepBreakdown.LmHeadAndLoss);
        using var scope = torch.NewDisposeScope();
        var vocab = logits.shape[^1];
        return nn.functional.cross_entropy(logits.reshape(-1, vocab), labels.reshape(-1), ignore_index: -100)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Decoder inputs from labels: start id first, labels shifted right, −100 replaced by pad.</summary>
    public static Tensor ShiftRight(Tensor labels, long decoderStartId, long padId)
    {
        using var scope = torch.NewDisposeScope();
        using var start = decoderStartId.ToScalar();
        using var ignored = (-100L).ToScalar();
        using var pad = padId.ToScalar();
        var first = torch.full(labels.shape[0], 1, start, ScalarType.Int64, labels.device);
        var shifted = torch.cat([first, labels[.., ..^1].to_type(ScalarType.Int64)], 1);
        return shifted.masked_fill_(shifted.eq(ignored), pad).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Greedy decoding as HF's `generate(do_sample=False, num_beams=1)`: the encoder runs once, the decoder
    /// steps with a key/value cache; finished rows get pad; stops when every row has emitted eos.
    /// </summary>
    public GreedyResult Generate(Tensor inputsEmbeds, Tensor attentionMask, int maxNewTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var batch = inputsEmbeds.shape[0];
        var device = inputsEmbeds.device;
        var encoded = Encode(inputsEmbeds, attentionMask);
        using var cache = new T5DecoderCache(decoder.Layers);
        using var start = Config.DecoderStartTokenId.ToScalar();
        using var pad = Config.PadTokenId.ToScalar();
        using var eos = Config.EosTokenId.ToScalar();
        var current = torch.full(batch, 1, start, ScalarType.Int64, device);
        var tokens = new List<Tensor> { current };
        var scores = new List<Tensor>();
        var unfinished = torch.ones(batch, ScalarType.Bool, device);
        for (var step = 0; step < maxNewTokens; step++)
        {
            var hidden = decoder.forward(EmbedTokens(current), encoded, attentionMask, cache);
            var logits = LmHead(hidden).select(1, -1); // [B,V]
            scores.Add(logits);
            var chosen = logits.argmax(-1);
            var next = torch.where(unfinished, chosen, torch.full_like(chosen, pad));
            current = next.unsqueeze(1);
            tokens.Add(current);
            unfinished = unfinished.logical_and(next.ne(eos));
            if (!unfinished.any().item<bool>())
                break;
        }
        var sequences = torch.cat(tokens, 1);
        var stacked = scores.Count > 0
            ? torch.stack(scores, 1)
            : torch.empty(batch, 0, Config.VocabSize, device: device);
        return new GreedyResult(sequences.MoveToOuterDisposeScope(), stacked.MoveToOuterDisposeScope());
    }

    // v1.0 ties the LM head to the embeddings and rescales by d_model^-0.5 first; v1.1 has its own head.
    private Tensor LmHead(Tensor hidden)
    {
        using var section = StepBreakdown.Time(StepBreakdown.LmHeadAndLoss);
        if (lm_head is not null)
            return lm_head.forward(hidden);
        using var factor = Math.Pow(Config.DModel, -0.5).ToScalar();
        using var scaled = hidden.mul(factor);
        return nn.functional.linear(scaled, shared.weight!);
    }

    // HF stores the embeddings as shared.weight; copies under the embed_tokens names may be all there is.
    private static string StoredName(SafetensorsCheckpoint checkpoint, string name)
    {
        if (checkpoint.Contains(name) || name != "shared.weight")
            return name;
        return new[] { "encoder.embed_tokens.weight", "decoder.embed_tokens.weight" }.FirstOrDefault(checkpoint.Contains) ?? name;
    }

    private static double? InitStd(T5Config c, string name)
    {
        var leaf = name[(name.LastIndexOf('.', name.Length - ".weight".Length - 1) + 1)..];
        return leaf switch
        {
            "shared.weight" or "lm_head.weight" => 1.0,
            "q.weight" => Math.Pow((double)c.DModel * c.DKv, -0.5),
            "k.weight" or "v.weight" or "relative_attention_bias.weight" => Math.Pow(c.DModel, -0.5),
            "o.weight" => Math.Pow((double)c.NumHeads * c.DKv, -0.5),
            "wi.weight" or "wi_0.weight" or "wi_1.weight" => Math.Pow(c.DModel, -0.5),
            "wo.weight" => Math.Pow(c.DFf, -0.5),
            "layer_norm.weight" or "final_layer_norm.weight" => null,
            _ => throw new InvalidOperationException($"no initialisation rule for parameter '{name}'"),
        };
    }
}
