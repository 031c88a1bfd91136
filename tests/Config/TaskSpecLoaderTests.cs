using Accept.Training.Config;
using Accept.Training.Metrics;

namespace Accept.Tests.Config;

[Trait("Category", "Fast")]
public class TaskSpecLoaderTests
{
    [Fact]
    public void GenericTaskFromTheSpecLoadsThroughTheDataLayer()
    {
        var dir = Path.Combine(Path.GetTempPath(), "accept-taskspec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var csv = Path.Combine(dir, "reviews.csv");
            File.WriteAllLines(csv, ["text,label", .. Enumerable.Range(0, 20).Select(i => $"review number {i},{(i % 2 == 0 ? "good" : "bad")}")]);
            var spec = RunSpecReader.Parse($$"""
                { "tasks": [ { "name": "reviews", "source": "generic", "file": {{System.Text.Json.JsonSerializer.Serialize(csv)}},
                  "input_field": "text", "target_field": "label", "metric": "f1", "labels": ["bad", "good"], "max_train_examples": 5 } ] }
                """);
            var data = TaskSpecLoader.Load(spec.Tasks[0], 42, dir);
            Assert.Equal("reviews", data.Name);
            Assert.Equal(MetricKind.F1, data.Metric);
            Assert.Equal(5, data.Train.Count);
            Assert.All(data.Train, e => Assert.StartsWith("review number", e.Input));
            Assert.All(data.Train.Concat(data.Validation).Concat(data.Test), e => Assert.Contains(e.Target, new[] { "good", "bad" }));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
