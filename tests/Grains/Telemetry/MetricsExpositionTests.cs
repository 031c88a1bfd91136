using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Hosting;
using Accept.Silo.Hosting;
using Accept.Grains.Telemetry;
using Accept.Tests.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Accept.Tests.Grains.Telemetry;

[Trait("Category", "MultiProcess")]
public sealed class MetricsExpositionTests
{
    /// <summary>Every metric family the project exports, with its Prometheus type.</summary>
    internal static readonly (string Name, string Type)[] Families =
    [
        ("accept_task_steps_total", "counter"),
        ("accept_task_loss", "gauge"),
        ("accept_task_step_loss", "histogram"),
        ("accept_task_metric", "gauge"),
        ("accept_task_tokens_per_second", "gauge"),
        ("accept_task_step_duration_seconds", "histogram"),
        ("accept_codebook_version", "gauge"),
        ("accept_codebook_pushes_total", "counter"),
        ("accept_codebook_aggregation_duration_seconds", "histogram"),
        ("accept_codebook_staleness", "histogram"),
        ("accept_silo_slots", "gauge"),
        ("accept_sweep_trials", "gauge"),
        ("accept_sweep_best_objective", "gauge"),
        ("accept_sweep_decisions_total", "counter"),
    ];

    [Fact]
    public async Task Every_project_instrument_appears_in_the_scrape_under_a_prometheus_name()
    {
        var port = TestEnvironment.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(Options.Create(new AcceptSiloOptions { Role = "worker", Device = "cpu", Slots = 3 }));
        builder.Services.AddSingleton<AcceptMetrics>();
        builder.Services.AddAcceptTelemetry();
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();

        var metrics = app.Services.GetRequiredService<AcceptMetrics>();
        metrics.RecordStep("job-1", "spam", loss: 0.75, seconds: 0.2, tokensPerSecond: 1234);
        metrics.RecordStep("job-1", "spam", loss: 0.5, seconds: 0.3, tokensPerSecond: 1300);
        metrics.RecordEvaluation("job-1", "spam", "accuracy", 0.9);
        metrics.RecordCodebookVersion("job-1", "shared", 42);
        metrics.RecordPush("job-1", "shared", PushRejectCode.None, staleness: 0);
        metrics.RecordPush("job-1", "shared", PushRejectCode.TooStale, staleness: 9);
        metrics.RecordAggregation("job-1", "shared", TimeSpan.FromMilliseconds(3));
        metrics.RecordSweep("sweep-1", new Dictionary<string, long> { ["running"] = 2, ["stopped"] = 1 }, "loss", "min", 0.25);
        metrics.RecordSweepDecision("sweep-1", "stop");

        using var http = new HttpClient();
        var scrape = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");

        Assert.All(Families, family => Assert.Contains($"# TYPE {family.Name} {family.Type}\n", scrape));
        Assert.Equal(Families.Length, scrape.Split('\n').Count(l => l.StartsWith("# TYPE accept_", StringComparison.Ordinal)));
        var lines = scrape.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("accept_task_steps_total{", StringComparison.Ordinal) && l.Contains("task=\"spam\"") && l.EndsWith(" 2"));
        Assert.Contains(lines, l => l.StartsWith("accept_codebook_pushes_total{", StringComparison.Ordinal) && l.Contains("reason=\"too_stale\"") && l.Contains("outcome=\"rejected\""));
        Assert.Contains(lines, l => l.StartsWith("accept_codebook_version{", StringComparison.Ordinal) && l.EndsWith(" 42"));
        Assert.Contains(lines, l => l.StartsWith("accept_silo_slots{", StringComparison.Ordinal) && l.Contains("role=\"worker\"") && l.EndsWith(" 3"));
        Assert.Contains(lines, l => l.StartsWith("accept_sweep_trials{", StringComparison.Ordinal) && l.Contains("state=\"stopped\"") && l.EndsWith(" 1"));
        Assert.Contains(lines, l => l.StartsWith("accept_sweep_decisions_total{", StringComparison.Ordinal) && l.Contains("kind=\"stop\"") && l.EndsWith(" 1"));
        await Promtool.AssertAcceptableAsync(scrape);
        await app.StopAsync();
    }
}
