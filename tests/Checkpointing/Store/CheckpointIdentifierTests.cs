using Accept.Grains.Checkpoints;
using Accept.Training.Checkpointing.Store;

namespace Accept.Tests.Checkpointing.Store;

[Trait("Category", "Fast")]
public sealed class CheckpointIdentifierTests
{
    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/../../b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/abs")]
    [InlineData("a..b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("Upper")]
    [InlineData("sp ace")]
    [InlineData("x\0y")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Unsafe_job_ids_and_owners_are_rejected_with_the_rule(string value)
    {
        var asJob = Assert.Throws<ArgumentException>(() => new CheckpointScope(value, "task"));
        var asOwner = Assert.Throws<ArgumentException>(() => new CheckpointScope("job", value));

        Assert.Contains("job id", asJob.Message);
        Assert.Contains("owner", asOwner.Message);
        Assert.Contains("a-z", asOwner.Message);
    }

    [Theory]
    [InlineData("job-1")]
    [InlineData("task.sst-2")]
    [InlineData("codebook_group.a")]
    [InlineData("0")]
    public void Safe_identifiers_are_accepted(string value) =>
        Assert.Equal($"{value}/{value}", new CheckpointScope(value, value).Path);

    [Fact]
    public void A_blob_store_without_a_connection_string_names_the_setting_and_the_variable()
    {
        var saved = Environment.GetEnvironmentVariable(CheckpointStoreOptions.ConnectionStringVariable);
        Environment.SetEnvironmentVariable(CheckpointStoreOptions.ConnectionStringVariable, null);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => CheckpointStoreFactory.Create(new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob }));
            Assert.Contains("Accept:Checkpoints:ConnectionString", error.Message);
            Assert.Contains(CheckpointStoreOptions.ConnectionStringVariable, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CheckpointStoreOptions.ConnectionStringVariable, saved);
        }
    }

    [Fact]
    public void A_malformed_connection_string_is_not_echoed()
    {
        const string secret = "AccountKey=supersecretvalue;nonsense";
        var error = Assert.Throws<ArgumentException>(() => CheckpointStoreFactory.Create(
            new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, ConnectionString = secret }));

        Assert.DoesNotContain("supersecretvalue", error.ToString());
    }

    [Fact]
    public void An_invalid_container_name_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointStoreFactory.Create(
            new CheckpointStoreOptions { Kind = CheckpointStoreKind.Blob, Container = "Bad_Name", ConnectionString = "UseDevelopmentStorage=true" }));

        Assert.Contains("Bad_Name", error.Message);
    }
}
