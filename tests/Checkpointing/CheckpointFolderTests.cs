using Accept.Training.Checkpointing;
using static TorchSharp.torch;

namespace Accept.Tests.Checkpointing;

[Trait("Category", "Fast")]
public class CheckpointFolderTests
{
    private static TaskCheckpoint Task(string name, float value) =>
        new(new Dictionary<string, Tensor> { ["w"] = full(2, 3, value), ["optim.step"] = tensor(5L) },
            new TaskSessionState(name, 5, 1, 2, 0.5, 4, 4, 0.5, 0, 100, [1.0], [2.0]));

    [Fact]
    public void SafetensorsBytesRoundTripKeepsDtypesShapesAndMetadata()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["f"] = arange(6, dtype: ScalarType.Float32).reshape(2, 3),
            ["d"] = tensor(new[] { 1.5, -2.0 }),
            ["i"] = tensor(7L),
            ["h"] = ones(3, dtype: ScalarType.Float16),
        };
        var bytes = SafetensorsBytes.Encode(tensors, new Dictionary<string, string> { ["k"] = "v" });
        var (back, metadata) = SafetensorsBytes.Decode(bytes, "test");
        Assert.Equal("v", metadata["k"]);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.dtype, back[name].dtype);
            Assert.Equal(t.shape, back[name].shape);
            Assert.True(t.equal(back[name]).all().item<bool>(), name);
        }
        Assert.Throws<InvalidDataException>(() => SafetensorsBytes.Decode(bytes.AsSpan(0, bytes.Length - 4), "short"));
        Assert.Throws<InvalidDataException>(() => SafetensorsBytes.Decode(new byte[4], "tiny"));
    }

    [Fact]
    public void LatestPointsAtTheNewestCompleteFolderAndOldOnesArePruned()
    {
        var root = Directory.CreateTempSubdirectory("accept-ckpt-").FullName;
        try
        {
            var checkpoints = new RunCheckpoints(root);
            Assert.Null(checkpoints.Latest());
            for (long step = 1; step <= 3; step++)
            {
                using var task = Task("a", step);
                checkpoints.Save(step, 16, step, [task], []);
            }
            var latest = checkpoints.Latest()!;
            Assert.Equal(3, latest.Step);
            using (var task = latest.Task("a"))
                Assert.Equal(3f, task.Tensors["w"][0, 0].item<float>());
            Assert.Equal(["step-00000002", "step-00000003"], Directory.GetDirectories(root, "step-*").Select(Path.GetFileName).Order());

            // A folder written without its pointer switching (a crash) is not what Latest returns.
            using (var task = Task("a", 9)) CheckpointFolder.Write(Path.Combine(root, "step-00000009"), 9, 16, 9, [task], []);
            Assert.Equal(3, checkpoints.Latest()!.Step);

            File.WriteAllText(Path.Combine(root, "latest.json"), "{\"folder\": \"../elsewhere\"}");
            Assert.Contains("beside it", Assert.Throws<InvalidDataException>(() => checkpoints.Latest()).Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void BestKeepsOneFolderPerTask()
    {
        var root = Directory.CreateTempSubdirectory("accept-best-").FullName;
        try
        {
            var checkpoints = new RunCheckpoints(root);
            using var group = new CodebookCheckpoint("g", new Dictionary<string, Tensor> { ["scpp.codebook"] = ones(2, 2, 2), ["version"] = tensor(3L), ["rounds"] = tensor(3L) });
            using (var t = Task("a", 1)) checkpoints.SaveBest("a", 10, 16, 1, t, group);
            using (var t = Task("a", 2)) checkpoints.SaveBest("a", 20, 16, 2, t, group);
            var best = checkpoints.Best("a")!;
            Assert.Equal(20, best.Step);
            Assert.Single(Directory.GetDirectories(Path.Combine(root, "best")));
            using var g = best.Group("g");
            Assert.Equal(3, g.Version);
            Assert.Null(checkpoints.Best("b"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
