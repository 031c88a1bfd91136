using System.Text;
using Accept.GrainInterfaces.Tasks;
using Accept.Grains.Tasks;

namespace Accept.Tests.Grains;

/// <summary>The metric history part of a task checkpoint.</summary>
[Trait("Category", "Fast")]
public sealed class MetricHistoryTests
{
    [Fact]
    public void Points_round_trip_exactly_including_diverged_losses_and_missing_metrics()
    {
        TaskMetricPoint[] points =
        [
            new(1, 2.0794415416798357, 0.15, null),
            new(2, double.NaN, 0.3, null),
            new(3, 0.1 + 0.2, 0.29993, 0.625, CodebookVersion: 2),
            new(4_000_000_000L, double.PositiveInfinity, 0, 1),
        ];

        var restored = MetricHistory.FromBytes(MetricHistory.ToBytes(points), "test");

        Assert.Equal(points, restored);
    }

    [Fact]
    public void Rows_written_before_codebook_versions_still_load()
    {
        var restored = MetricHistory.FromBytes(Encoding.UTF8.GetBytes("[[1,0.5,0.1,null]]"), "old");
        Assert.Equal([new TaskMetricPoint(1, 0.5, 0.1, null)], restored);
    }

    [Theory]
    [InlineData("{\"step\":1}", "not a JSON list of rows")]
    [InlineData("[[1,0.5,0.1,null],[2,0.4]]", "row 1 is not [step, loss, learning rate, metric, codebook version]")]
    public void A_malformed_history_is_refused_naming_the_checkpoint_and_the_row(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => MetricHistory.FromBytes(Encoding.UTF8.GetBytes(json), "job/task:parity 0007"));

        Assert.StartsWith("job/task:parity 0007: ", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
