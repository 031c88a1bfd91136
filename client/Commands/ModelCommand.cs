using System.CommandLine;
using System.Text.Json;
using Accept.Training.IO;
using Accept.Training.T5;
using Spectre.Console;
using TorchSharp;

namespace Accept.Client.Commands;

/// <summary>`accept model ...`: inspect and exercise a T5 checkpoint.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        return new Command("model", "Inspect and run a T5 checkpoint") { Info(), Logits(), ModelInitCommand.Create() };
    }

    private static Command Info()
    {
        var model = ModelOption();
        var info = new Command("info", "Architecture, sizes, parameter count and dtype of a checkpoint") { model };
        info.SetAction(parse => Guarded(() =>
        {
            var directory = parse.GetValue(model)!.FullName;
            using var t5 = T5Model.Load(directory);
            using var checkpoint = SafetensorsCheckpoint.Open(directory);
            var dtypes = checkpoint.Names.Select(n => checkpoint.Info(n).DType).Distinct().Order();
            var c = t5.Config;
            var table = new Table().AddColumn("property").AddColumn(new TableColumn("value").RightAligned());
            table.Title = new TableTitle(Markup.Escape(directory));
            foreach (var (name, value) in new (string, object)[]
                     {
                         ("architecture", c.Architecture), ("feed_forward_proj", c.FeedForwardProj), ("vocab_size", c.VocabSize),
                         ("d_model", c.DModel), ("d_kv", c.DKv), ("num_heads", c.NumHeads), ("d_ff", c.DFf),
                         ("encoder layers", c.NumLayers), ("decoder layers", c.NumDecoderLayers),
                         ("relative buckets / max distance", $"{c.RelativeAttentionNumBuckets} / {c.RelativeAttentionMaxDistance}"),
                         ("parameters", t5.ParameterCount.ToString("N0")), ("checkpoint dtype", string.Join(", ", dtypes)),
                         ("weights", File.Exists(Path.Combine(directory, SafetensorsCheckpoint.SingleFile)) ? SafetensorsCheckpoint.SingleFile : SafetensorsCheckpoint.IndexFile),
                     })
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString()!));
            }
            AnsiConsole.Write(table);
        }));
        return info;
    }

    private static Command Logits()
    {
        var model = ModelOption();
        var input = new Option<FileInfo>("--input") { Description = "JSON with input_ids, attention_mask, decoder_input_ids (nested integer arrays)", Required = true };
        var logits = new Command("logits", "Print logits and encoder states for given ids as JSON") { model, input };
        logits.SetAction(parse => Guarded(() =>
        {
            var file = parse.GetValue(input)!.FullName;
            if (!File.Exists(file))
                throw new CheckpointException(file, "file not found");
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(File.ReadAllText(file));
            }
            catch (JsonException e)
            {
                throw new CheckpointException(file, $"malformed JSON: {e.Message}", e);
            }
            using (doc)
            {
                var ids = JsonTensors.ReadInt64(file, doc.RootElement, "input_ids", 2);
                var mask = JsonTensors.ReadInt64(file, doc.RootElement, "attention_mask", 2);
                var decoderIds = JsonTensors.ReadInt64(file, doc.RootElement, "decoder_input_ids", 2);
                if (!mask.shape.SequenceEqual(ids.shape))
                    throw new CheckpointException(file, $"attention_mask has shape [{string.Join(", ", mask.shape)}], expected input_ids' [{string.Join(", ", ids.shape)}]");
                if (decoderIds.shape[0] != ids.shape[0])
                    throw new CheckpointException(file, $"decoder_input_ids has batch {decoderIds.shape[0]}, expected {ids.shape[0]} as input_ids");
                using var t5 = T5Model.Load(parse.GetValue(model)!.FullName);
                CheckIds(file, "input_ids", ids, t5.Config.VocabSize);
                CheckIds(file, "decoder_input_ids", decoderIds, t5.Config.VocabSize);
                var encoded = t5.Encode(t5.EmbedTokens(ids), mask);
                var result = t5.Decode(decoderIds, encoded, mask);
                using var stdout = Console.OpenStandardOutput();
                using var json = new Utf8JsonWriter(stdout);
                json.WriteStartObject();
                json.WritePropertyName("logits");
                JsonTensors.WriteFloat(json, result);
                json.WritePropertyName("encoder_last_hidden_state");
                JsonTensors.WriteFloat(json, encoded);
                json.WriteEndObject();
                json.Flush();
                stdout.WriteByte((byte)'\n');
            }
        }));
        return logits;
    }

    private static void CheckIds(string file, string field, TorchSharp.torch.Tensor ids, int vocab)
    {
        var min = ids.min().item<long>();
        var max = ids.max().item<long>();
        if (min < 0 || max >= vocab)
            throw new CheckpointException(file, $"{field} holds ids in [{min}, {max}], outside the model's vocabulary [0, {vocab - 1}]");
    }

    private static Option<DirectoryInfo> ModelOption() => new("--model") { Description = "HF model directory (config.json + model.safetensors)", Required = true };

    // Bad input ends in Program.cs (Errors/CliErrors): one clear line on stderr, exit code 2, no stack trace.
    private static int Guarded(Action action)
    {
        action();
        return 0;
    }
}
