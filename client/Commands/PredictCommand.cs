using Accept.Training.Checkpointing;
using System.CommandLine;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.Devices;
using Accept.Training.IO;
using Accept.Training.Prediction;

namespace Accept.Client.Commands;

/// <summary>
/// `accept predict --run DIR --task NAME --input FILE --out FILE.jsonl [--input-field F] [--which best|last]
/// [--batch-size N]`: a trained task (its P and ΔE on the frozen backbone) over every record of a .jsonl,
/// .jsonl.gz or .csv file, greedy decoding in batches, one JSON line per record; progress and tokens/s on
/// stderr, the output path as the last line.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "run directory (as printed by accept train)", Required = true };
        var task = new Option<string>("--task") { Description = "the run's task to predict with", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "records to predict: .jsonl, .jsonl.gz or .csv (header line)", Required = true };
        var inputField = new Option<string?>("--input-field")
        {
            Description = "the field holding the input (default: the task's input_field, `text` for demo tasks; paper tasks read their own fields, "
                + "or with this option one field holding the formatted encoder input)",
        };
        var output = new Option<FileInfo>("--out") { Description = "output .jsonl: {\"input\", \"prediction\", …the record's own fields}", Required = true };
        var which = new Option<string>("--which") { Description = "best (chosen on validation) or last", DefaultValueFactory = _ => "best" };
        var batchSize = new Option<int?>("--batch-size") { Description = "inputs decoded at once (default: the run's batch_size)" };
        var maxNew = new Option<int?>("--max-new-tokens") { Description = "most tokens per prediction (default and upper bound: the task's max_target_length)" };
        var device = new Option<string>("--device") { Description = DeviceSelection.Names, DefaultValueFactory = _ => "cpu" };
        var command = new Command("predict", "Run a trained task over an input file (batch greedy decoding with its prompts)")
        {
            run, task, input, inputField, output, which, batchSize, maxNew, device,
        };
        command.SetAction(parse =>
        {
            try
            {
                var choice = CheckpointChoices.Parse(parse.GetValue(which)!);
                var name = parse.GetValue(task)!;
                var directory = parse.GetValue(run)!.FullName;
                var spec = TrainedRun.ReadSpec(directory);
                var taskSpec = spec.Tasks.FirstOrDefault(t => t.Name == name)
                    ?? throw new ArgumentException($"--task: the run has no task '{name}' (tasks: {string.Join(", ", spec.Tasks.Select(t => t.Name))})");
                var request = new PredictionRequest(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName,
                    parse.GetValue(batchSize) ?? spec.Optimization.BatchSize, parse.GetValue(inputField));
                // Cheap checks before the backbone loads: the options, the input file, the task's fields.
                if (request.BatchSize < 1 || request.BatchSize > TaskDecoder.MaxBatchSize)
                    throw new ArgumentException($"--batch-size: expected 1 to {TaskDecoder.MaxBatchSize}, found {request.BatchSize}");
                if (!File.Exists(request.InputFile)) throw new FileNotFoundException($"--input: {request.InputFile} not found");
                var inputs = Predictor.Read(taskSpec, request);

                using var trainedRun = TrainedRun.Open(directory, DeviceSelection.Resolve(parse.GetValue(device)!, "--device"));
                var decoder = trainedRun.Decoder(name, parse.GetValue(maxNew));
                decoder.CheckBatchSize(request.BatchSize);
                using var trained = trainedRun.Load(name, choice);
                foreach (var note in trained.Notes) Console.Error.WriteLine($"warning: {note}");
                var outcome = Predictor.Run(decoder, trained, inputs, request, new DecodeProgressBar(name));
                Console.Error.WriteLine($"{outcome.Records} predictions with task '{name}' ({trained.Which.Name()} checkpoint, step {trained.Step}): "
                    + $"{outcome.GeneratedTokens} tokens in {outcome.Seconds:F1} s, {outcome.TokensPerSecond:F1} tokens/s");
                Console.WriteLine(outcome.OutputFile);
                return 0;
            }
            catch (Exception e) when (e is SpecException or CheckpointException or InvalidDataException or IOException or ArgumentException or FormatException
                                          or DataFormatException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
