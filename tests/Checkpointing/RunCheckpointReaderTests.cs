using System.Text;
using System.Text.Json.Nodes;
using Accept.Tests.MultiTask;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.Export;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using static TorchSharp.torch;

namespace Accept.Tests.Checkpointing;

/// <summary>The one reader of run checkpoints: fallbacks, hardening, and the old layout refused.</summary>
[Trait("Category", "Fast")]
public class RunCheckpointReaderTests
{
    /// <summary>6 steps, checkpoints at 2, 4 and 6: three kept per scope.</summary>
    private static string Train(TinyRun tiny, long? stopAfter = null)
    {
        using var backbone = T5Model.Load(tiny.Backbone);
        using var run = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "reader");
        using var trainer = MultiTaskTrainer.Start(tiny.Context(extra: "\"checkpoint_every\": 2"), backbone, run);
        trainer.Train(stopAfter);
        return run.Path;
    }

    private static string ScopeDir(string run, string owner) =>
        Path.Combine(run, "checkpoints", RunCheckpointReader.Open(run).Location.Job, owner);

    private static string Newest(string run, string owner) =>
        Directory.GetFiles(Path.Combine(ScopeDir(run, owner), "objects"), "*.ckpt").Order(StringComparer.Ordinal).Last();

    [Fact]
    public void A_corrupt_newest_checkpoint_falls_back_to_the_previous_on_export_and_resume()
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var run = Train(tiny);
        var newest = Newest(run, "task-mood");
        var bytes = File.ReadAllBytes(newest);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(newest, bytes);

        using (var last = RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Last))
        {
            Assert.Equal(4, last.Step);
            Assert.Equal(4, last.Codebooks.Version);
            Assert.Contains(last.Notes, n => n.Contains(Path.GetFileName(newest)) && n.Contains("SHA-256"));
        }
        var exported = PromptExporter.Export(run, Path.Combine(tiny.Root, "out"), "mood", CheckpointChoice.Last);
        Assert.Equal(4, Assert.Single(exported).Step);
        Assert.NotEmpty(exported[0].Notes);

        // Resume pairs every task with the codebooks of one version: mood's step 4 takes copy back to 4 too.
        using var point = RunCheckpointReader.Open(run).LoadResumePoint();
        Assert.Equal(4, point.Step);
        Assert.Equal([4L, 4L], point.Tasks.Values.Select(t => t.State.Step));
        Assert.Equal(4, point.Groups["shared"].Version);
        Assert.NotEmpty(point.Notes);
    }

    [Fact]
    public void The_old_in_process_layout_is_refused_in_one_line()
    {
        using var tiny = new TinyRun();
        var run = Path.Combine(tiny.Root, "old");
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", "step-00000004"));
        File.WriteAllText(Path.Combine(run, "checkpoints", "latest.json"), "{\"folder\":\"step-00000004\"}");
        File.WriteAllText(Path.Combine(run, "spec.json"), tiny.SpecJson());
        var e = Assert.Throws<InvalidDataException>(() => RunCheckpointReader.Open(run));
        Assert.Contains("old in-process layout (checkpoints/step-N + latest.json)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_pointer_edited_by_hand_or_naming_a_path_is_rejected()
    {
        using var tiny = new TinyRun();
        var run = Train(tiny, stopAfter: 2);
        var pointer = Path.Combine(ScopeDir(run, "task-mood"), "pointer.json");
        var original = File.ReadAllText(pointer);

        var json = JsonNode.Parse(original)!;
        json["entries"]![0]!["length"] = 1;
        File.WriteAllText(pointer, json.ToJsonString());
        var edited = Assert.Throws<InvalidDataException>(() => RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Last));
        Assert.Contains("entries_sha256 does not match", edited.Message);

        json = JsonNode.Parse(original)!;
        json["entries"]![0]!["objectName"] = "../../../../spec.json";
        File.WriteAllText(pointer, json.ToJsonString());
        var traversal = Assert.Throws<InvalidDataException>(() => RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Last));
        Assert.Contains("'../../../../spec.json'", traversal.Message);
    }

    /// <summary>Objects that verify (they were re-hashed and committed) but whose content no run could write.</summary>
    [Theory]
    [InlineData("shape", "[-4, -16]", "non-negative")]
    [InlineData("shape", "[4611686018427387904, 4]", "overflows")]
    [InlineData("shape", "[4.5, 16]", "must hold integers")]
    [InlineData("step", "999", "disagrees with the task state's step")]
    [InlineData("state_step", "1000000000", "outside the run's 0..6 steps")]
    public async Task A_rehashed_checkpoint_with_impossible_content_is_skipped_with_a_clear_reason(string field, string value, string expected)
    {
        using var scope = NewDisposeScope();
        using var tiny = new TinyRun();
        var run = Train(tiny, stopAfter: 2);
        var reader = RunCheckpointReader.Open(run);
        var good = (await reader.Store.LoadLatestAsync(new CheckpointScope(reader.Location.Job, CheckpointOwners.Task("mood"))))!;
        var task = good.Content.Parts[CheckpointParts.Task];
        var metadata = new Dictionary<string, string>(good.Content.Metadata);
        if (field == "shape") task = ReplaceFirstShape(task, value);
        if (field == "step") metadata[CheckpointParts.Step] = value;
        if (field == "state_step")
        {
            using var state = TaskCheckpoint.FromBytes(task);
            using var bad = new TaskCheckpoint(state.Tensors.ToDictionary(t => t.Key, t => t.Value.clone()), state.State with { Step = long.Parse(value) });
            task = bad.ToBytes();
            metadata[CheckpointParts.Step] = value;
        }
        await reader.Store.SaveAsync(new CheckpointScope(reader.Location.Job, CheckpointOwners.Task("mood")),
            new CheckpointContent(new Dictionary<string, byte[]> { [CheckpointParts.Task] = task }, metadata));

        using var last = RunCheckpointReader.Open(run).LoadTask("mood", CheckpointChoice.Last);
        Assert.Equal(2, last.Step);
        Assert.Contains(last.Notes, n => n.Contains(expected));
    }

    /// <summary>The first tensor's "shape" in a safetensors header, replaced by <paramref name="shape"/> (same byte length kept by padding the header).</summary>
    private static byte[] ReplaceFirstShape(byte[] bytes, string shape)
    {
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var start = header.IndexOf("\"shape\":[", StringComparison.Ordinal) + "\"shape\":".Length;
        var end = header.IndexOf(']', start) + 1;
        var edited = header[..start] + shape + header[end..];
        var editedBytes = Encoding.UTF8.GetBytes(edited);
        var result = new byte[8 + editedBytes.Length + bytes.Length - 8 - headerLength];
        BitConverter.GetBytes((ulong)editedBytes.Length).CopyTo(result, 0);
        editedBytes.CopyTo(result, 8);
        Array.Copy(bytes, 8 + headerLength, result, 8 + editedBytes.Length, bytes.Length - 8 - headerLength);
        return result;
    }
}
