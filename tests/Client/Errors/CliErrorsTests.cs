using Accept.Client.Cluster;
using Accept.Client.Errors;
using Accept.Training.Config;
using Accept.Training.Data;
using Accept.Training.IO;
using Accept.Training.MultiTask;

namespace Accept.Tests.Client.Errors;

/// <summary>The one place exceptions become an exit code and one line (client/Errors/CliErrors).</summary>
[Trait("Category", "Fast")]
public sealed class CliErrorsTests
{
    public static TheoryData<Exception, int> Known => new()
    {
        { new SpecException("run.json: method.max_length: expected a positive integer, got 0"), ExitCodes.BadInput },
        { new DataFormatException("a.csv", 3, "text", "missing column"), ExitCodes.BadInput },
        { new CheckpointException("x.safetensors", "malformed"), ExitCodes.BadInput },
        { new InvalidDataException("spiece.model is not a SentencePiece model"), ExitCodes.BadInput },
        { new FileNotFoundException("data file not found"), ExitCodes.BadInput },
        { new ArgumentException("--size: expected tiny or small"), ExitCodes.BadInput },
        { new TrainingDivergedException("mood", 7, 3), ExitCodes.Failure },
        { new ClusterUnavailableException("no gateway answered"), ExitCodes.BadInput },
        { new InvalidOperationException("npm failed"), ExitCodes.Failure },
        { new OperationCanceledException(), ExitCodes.Interrupted },
        { new AggregateException(new SpecException("inner")), ExitCodes.BadInput },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void Known_failures_get_their_code_and_their_own_message(Exception e, int code)
    {
        var error = new StringWriter();
        Assert.Equal(code, CliErrors.Report(e, error));
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("unexpected", line);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_with_its_type_and_no_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new NullReferenceException("Object reference not set\nto an instance");
        }
        catch (Exception e)
        {
            thrown = e;
        }
        var error = new StringWriter();

        Assert.Equal(ExitCodes.Failure, CliErrors.Report(thrown, error));

        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: unexpected NullReferenceException: Object reference not set to an instance (set {CliErrors.DebugVariable}=1 for details)", line.TrimEnd('\r'));
    }
}
