using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Accept.Training.Config;
using Accept.Training.IO;

namespace Accept.Training.Prediction;

/// <summary>What <c>accept predict</c> reads and writes.</summary>
public sealed record PredictionRequest(string InputFile, string OutputFile, int BatchSize, string? InputField = null);

/// <summary>An input file's records and the encoder input each becomes.</summary>
public sealed record PredictionInputs(IReadOnlyList<PredictionInput> Records, IReadOnlyList<string> EncoderInputs);

/// <summary>Records predicted, tokens generated and decoding time.</summary>
public sealed record PredictionOutcome(int Records, long GeneratedTokens, double Seconds, string OutputFile)
{
    public double TokensPerSecond => Seconds > 0 ? GeneratedTokens / Seconds : 0;
}

/// <summary>
/// A trained task over an input file: every record formatted as the task's training inputs were
/// (<see cref="TaskInputFormat"/>), decoded in batches (<see cref="TaskDecoder"/>), written one JSON line per
/// record in order: <c>{"input", "prediction", …the record's own fields}</c> (own fields named input or
/// prediction give way). The whole input is read and checked before decoding starts; the output file is
/// written atomically.
/// </summary>
public static class Predictor
{
    /// <summary>Reads and formats every record (no model needed: call it before loading one, so a bad file fails fast).</summary>
    public static PredictionInputs Read(TaskSpec task, PredictionRequest request)
    {
        var format = TaskInputFormat.For(task, request.InputField);
        var records = PredictionInput.ReadAll(request.InputFile);
        return new PredictionInputs(records, [.. records.Select(r => format.Format(r.Text))]);
    }

    public static PredictionOutcome Run(TaskDecoder decoder, TrainedAdapter trained, TaskSpec task, PredictionRequest request, IProgress<DecodeProgress>? progress = null) =>
        Run(decoder, trained, Read(task, request), request, progress);

    public static PredictionOutcome Run(TaskDecoder decoder, TrainedAdapter trained, PredictionInputs read, PredictionRequest request, IProgress<DecodeProgress>? progress = null)
    {
        decoder.CheckBatchSize(request.BatchSize);
        var (records, inputs) = (read.Records, read.EncoderInputs);
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        var counting = new InlineProgress<DecodeProgress>(p => { tokens = p.GeneratedTokens; progress?.Report(p); });
        var predictions = decoder.Decode(trained, inputs, request.BatchSize, counting);
        double seconds = clock.Elapsed.TotalSeconds;

        var output = Path.GetFullPath(request.OutputFile);
        if (Path.GetDirectoryName(output) is { } folder) Directory.CreateDirectory(folder);
        AtomicFile.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            for (int i = 0; i < records.Count; i++)
            {
                var line = new JsonObject { ["input"] = inputs[i], ["prediction"] = predictions[i] };
                foreach (var (key, value) in records[i].Fields)
                    if (key is not ("input" or "prediction")) line[key] = value?.DeepClone();
                writer.Write(line.ToJsonString());
                writer.Write('\n');
            }
        });
        return new PredictionOutcome(records.Count, tokens, seconds, output);
    }
}
