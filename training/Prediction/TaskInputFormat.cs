using Accept.Training.Config;
using Accept.Training.Data.Demo;
using Accept.Training.Data.Paper;

namespace Accept.Training.Prediction;

/// <summary>
/// How one input record becomes the text the encoder reads, as the task's training data was written:
/// paper tasks label and join their source fields (<see cref="PaperTasks.FormatInput"/>: "premise: …
/// hypothesis: …", MRQA's punctuation padding, MultiRC's markup removal); generic tasks read their
/// input_field as it is; demo tasks clean an e-mail body (spam), lower-case a word (phonemes) or cut a
/// passage (party) as their loaders do. <c>--input-field</c> names the field to read instead: for a paper
/// task that field then holds the formatted encoder input itself.
/// </summary>
public sealed class TaskInputFormat
{
    private readonly Func<Func<string, string>, string> _format;

    private TaskInputFormat(IReadOnlyList<string> fields, Func<Func<string, string>, string> format)
    {
        Fields = fields;
        _format = format;
    }

    /// <summary>The fields each input record must give.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The encoder input of a record; <paramref name="field"/> returns a field's text (or throws naming it).</summary>
    public string Format(Func<string, string> field) => _format(field);

    public static TaskInputFormat For(TaskSpec task, string? inputField = null)
    {
        switch (task.Source)
        {
            case TaskSource.Paper when inputField is null:
                var fields = PaperTasks.InputFields(task.Dataset);
                return new TaskInputFormat(fields, field => PaperTasks.FormatInput(task.Dataset, field, new TaskLoadOptions()));
            case TaskSource.Demo:
                var name = inputField ?? "text";
                int maxChars = new DemoTaskOptions().MaxInputChars;
                return task.Dataset.ToLowerInvariant() switch
                {
                    "spam" => new([name], field => EmailText.Clean(field(name), maxChars)),
                    "phonemes" => new([name], field => field(name).Trim().ToLowerInvariant()),
                    _ => new([name], field => Cut(field(name).Trim(), maxChars)),
                };
            default:
                var single = inputField ?? task.InputField ?? throw new ArgumentException($"task '{task.Name}' names no input_field; give --input-field");
                return new TaskInputFormat([single], field => field(single));
        }
    }

    /// <summary>The party task's passages are at most this long; a longer one is cut, as its loader cuts a long sentence.</summary>
    private static string Cut(string text, int maxChars) => text.Length > maxChars ? text[..maxChars].TrimEnd() : text;
}
