using Accept.Tests.Checkpointing.Store;
using Accept.Tests.Client;
using Accept.Tests.Cluster;
using Accept.Training.Checkpointing;
using Accept.Training.Checkpointing.Store;
using Accept.Training.MultiTask;
using Accept.Training.Runs;
using Accept.Training.T5;
using TinyRun = Accept.Tests.MultiTask.TinyRun;

namespace Accept.Tests.Checkpointing;

/// <summary>A run whose checkpoints are in a Blob container (Azurite): export and resume read it with the connection string from the environment only.</summary>
[Trait("Category", "MultiProcess")]
public sealed class BlobRunTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [SkippableFact]
    public async Task A_blob_run_exports_and_resumes_with_the_connection_string_from_the_environment()
    {
        if (azurite.ConnectionString is null)
        {
            if (azurite.NpmMissing) TestEnvironment.SkipOrFail(azurite.Unavailable!);
            throw new InvalidOperationException(azurite.Unavailable);
        }
        using var tiny = new TinyRun();
        string run;
        using (var backbone = T5Model.Load(tiny.Backbone))
        using (var directory = RunDirectory.Create(Path.Combine(tiny.Root, "runs"), "blob"))
        {
            run = directory.Path;
            using var trainer = MultiTaskTrainer.Start(tiny.Context(extra: ResumeEquality.Extra), backbone, directory);
            trainer.Train(stopAfterStep: 3);
        }
        // Move the run's checkpoints to a container, as a cluster with Blob checkpoints would have written them.
        var container = $"run-{Guid.NewGuid():N}"[..20];
        var store = CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, ConnectionString = azurite.ConnectionString, Container = container });
        var job = "blob-job";
        var reader = RunCheckpointReader.Open(run);
        using (var point = reader.LoadResumePoint())
        {
            await ResumeSeed.WriteAsync(point, reader, store, job);
        }
        Directory.Delete(Path.Combine(run, "checkpoints"), recursive: true);
        new RunCheckpointLocation("blob", job, null, container).Write(run);

        var (code, _, stderr) = await AcceptProcess.RunAsync(new Dictionary<string, string> { [CheckpointStoreOptions.ConnectionStringVariable] = "" },
            TimeSpan.FromMinutes(2), "export", "--run", run, "--out", Path.Combine(tiny.Root, "nokey"));
        Assert.Equal(2, code); // a missing setting is bad input (README, "Errors and exit codes")
        Assert.Contains(CheckpointStoreOptions.ConnectionStringVariable, stderr);

        var environment = new Dictionary<string, string> { [CheckpointStoreOptions.ConnectionStringVariable] = azurite.ConnectionString };
        string stdout;
        (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, TimeSpan.FromMinutes(2), "export", "--run", run, "--out", Path.Combine(tiny.Root, "export"), "--which", "last");
        Assert.True(code == 0, stderr + stdout);
        Assert.True(File.Exists(Path.Combine(tiny.Root, "export", "mood", "prompts.safetensors")));

        (code, stdout, stderr) = await AcceptProcess.RunAsync(environment, TimeSpan.FromMinutes(3), "train", "--resume", run, "--in-process");
        Assert.True(code == 0, stderr + stdout);
        Assert.False(Directory.Exists(Path.Combine(run, "checkpoints", job)));
        ResumeEquality.AssertSameFinalState(ResumeEquality.Uninterrupted(tiny), run, store);
        foreach (var file in Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain("AccountKey", File.ReadAllText(file));
    }
}
