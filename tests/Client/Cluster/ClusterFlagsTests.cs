using Accept.Client.Cluster;
using Accept.Tests.Cluster;

namespace Accept.Tests.Client.Cluster;

[Trait("Category", "MultiProcess")]
public sealed class ClusterFlagsTests
{
    [Theory]
    [InlineData("10.0.0.5:30000", "10.0.0.5", 30000)]
    [InlineData("silo-0.accept:30001", "silo-0.accept", 30001)]
    [InlineData("[::1]:30000", "::1", 30000)]
    public void A_gateway_is_host_and_port(string text, string host, int port)
    {
        var endpoint = ClusterFlags.ParseGateway(text);
        Assert.Equal((host, port), (endpoint.Host, endpoint.Port));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":30000")]
    [InlineData("localhost:70000")]
    [InlineData("localhost:abc")]
    public void A_malformed_gateway_is_an_error_naming_the_flag_and_the_value(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterFlags.ParseGateway(text));
        Assert.Contains($"--gateway '{text}'", error.Message);
        Assert.Contains("host:port", error.Message);
    }

    [Fact]
    public async Task Status_against_a_gateway_where_no_silo_listens_fails_with_a_message_naming_it()
    {
        var port = TestEnvironment.FreePort();
        var (code, _, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--job", "nothing", "--gateway", $"127.0.0.1:{port}", "--connect-timeout", "3");
        Assert.Equal(2, code);
        Assert.Contains($"gateway 127.0.0.1:{port}", stderr);
    }

    [Fact]
    public async Task Gateway_and_redis_together_are_refused()
    {
        var (code, _, stderr) = await AcceptProcess.RunAsync(TimeSpan.FromMinutes(1), "cancel", "--job", "x", "--gateway", "127.0.0.1:30000", "--redis", "127.0.0.1:6379");
        Assert.Equal(2, code);
        Assert.Contains("--gateway and --redis", stderr);
    }

    [Fact]
    public void Run_names_become_valid_job_ids()
    {
        Assert.Equal("my-spec_v2", JobNames.RunName("My Spec_v2"));
        Assert.Equal("run", JobNames.RunName("***"));
        Assert.Equal("20261126-101500-demo-ab12", JobNames.JobId("20261126-101500-demo-ab12"));
        Assert.Throws<ArgumentException>(() => JobNames.JobId("../evil"));
    }
}
