using System.Diagnostics;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Engine;
using Accept.Training.Prompts;
using Accept.Training.T5;
using Accept.Training.Tokenization;
using static TorchSharp.torch;

namespace Accept.Training.Prediction;

/// <summary>
/// Batch greedy decoding of encoder input texts with a task's P and ΔE on the frozen backbone, the one
/// decoding path of training's evaluation, <c>accept eval</c>, <c>predict</c> and <c>generate --run</c>:
/// inputs tokenised, truncated and padded to l exactly as in training (the task's <see cref="Batcher"/>),
/// at most the task's max_target_length new tokens, ids decoded to text by the tokenizer.
/// </summary>
public sealed class TaskDecoder
{
    /// <summary>The most inputs decoded at once; a bigger batch is refused before anything is allocated.</summary>
    public const int MaxBatchSize = 4096;

    private readonly T5Model _backbone;
    private readonly Batcher _batcher;
    private readonly Device? _device;

    public TaskDecoder(T5Model backbone, Batcher batcher, Device? device = null)
    {
        _backbone = backbone;
        _batcher = batcher;
        _device = device;
    }

    /// <summary>The decoder of <paramref name="task"/> as its run trains it (the same l, input truncation and target length).</summary>
    /// <param name="maxNewTokens">Fewer new tokens than the task's max_target_length (null: that length); more is an error.</param>
    public static TaskDecoder For(T5Model backbone, ITextTokenizer tokenizer, RunSpec spec, TaskSpec task, Device? device = null, int? maxNewTokens = null)
    {
        if (maxNewTokens is int n && (n < 1 || n > task.MaxTargetLength))
            throw new ArgumentException($"--max-new-tokens: expected 1 to task '{task.Name}''s max_target_length {task.MaxTargetLength}, found {n}");
        return new(backbone, new Batcher(tokenizer, spec.Method.MaxLength, task.InputLength(spec.Method), maxNewTokens ?? task.MaxTargetLength), device);
    }

    /// <summary>New tokens per input: the task's max_target_length.</summary>
    public int MaxNewTokens => _batcher.MaxTargetLength;

    public ITextTokenizer Tokenizer => _batcher.Tokenizer;

    /// <summary>
    /// Checks a batch size before decoding: 1 to <see cref="MaxBatchSize"/>, and the per-step logits greedy
    /// decoding keeps (batch × new tokens × vocabulary floats) under <paramref name="memoryLimitBytes"/>.
    /// </summary>
    public void CheckBatchSize(int batchSize, string option = "--batch-size", long memoryLimitBytes = 8L << 30)
    {
        if (batchSize < 1 || batchSize > MaxBatchSize)
            throw new ArgumentException($"{option}: expected 1 to {MaxBatchSize}, found {batchSize}");
        long logits = (long)batchSize * MaxNewTokens * _backbone.Config.VocabSize * sizeof(float);
        if (logits > memoryLimitBytes)
            throw new ArgumentException($"{option} {batchSize}: decoding would keep {logits / (1 << 20):N0} MiB of logits "
                + $"({batchSize} × {MaxNewTokens} new tokens × {_backbone.Config.VocabSize} vocabulary); the limit is {memoryLimitBytes / (1 << 20):N0} MiB, use a smaller batch");
    }

    /// <summary>The decoded text of every input, in order.</summary>
    public IReadOnlyList<string> Decode(TaskAdapter adapter, IReadOnlyDictionary<string, Tensor> codebooks, IReadOnlyList<string> inputs, int batchSize,
        IProgress<DecodeProgress>? progress = null)
    {
        CheckBatchSize(batchSize);
        var clock = Stopwatch.StartNew();
        var predictions = new List<string>(inputs.Count);
        long tokens = 0;
        for (int start = 0; start < inputs.Count; start += batchSize)
        {
            // Training's batches carry targets; decoding reads only the inputs.
            var examples = inputs.Skip(start).Take(batchSize).Select(text => new Example(text, "")).ToList();
            using var cpuBatch = _batcher.Build(examples);
            using var deviceBatch = _device is null ? null : cpuBatch.To(_device);
            foreach (var ids in TaskStepper.Generate(_backbone, adapter, codebooks, deviceBatch ?? cpuBatch, MaxNewTokens))
            {
                predictions.Add(_batcher.Tokenizer.Decode(ids));
                tokens += ids.Length;
            }
            progress?.Report(new DecodeProgress(predictions.Count, inputs.Count, tokens, clock.Elapsed.TotalSeconds));
        }
        return predictions;
    }

    /// <summary>Decodes with a loaded <see cref="TrainedAdapter"/>.</summary>
    public IReadOnlyList<string> Decode(TrainedAdapter task, IReadOnlyList<string> inputs, int batchSize, IProgress<DecodeProgress>? progress = null) =>
        Decode(task.Adapter, task.Codebooks, inputs, batchSize, progress);
}
