using Accept.Grains.Telemetry;
using OpenTelemetry.Metrics;

namespace Accept.Silo.Hosting;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Orleans' own meter and the project's, exported for Prometheus scraping.</summary>
    public static IServiceCollection AddAcceptTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans", AcceptMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }
}
