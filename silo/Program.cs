// The Accept.Distributed silo: Orleans for the grains, ASP.NET Core for /healthz and /metrics.
// Settings come from appsettings.json, then environment variables (Accept__Silo__Role=worker, ...);
// docs/operations.md lists every key.
using Accept.Grains.Telemetry;
using Accept.Silo.Hosting;
using Accept.Grains.Hosting;
using Accept.Grains.Hosting.Tls;

var builder = WebApplication.CreateBuilder(args);
AcceptSiloSettings settings;
AcceptTlsOptions tls;
try
{
    settings = AcceptSiloSettings.FromConfiguration(builder.Configuration);
    tls = AcceptTls.FromConfiguration(builder.Configuration);
    builder.UseOrleans(silo => AcceptTls.ConfigureSilo(AcceptSiloBuilder.Configure(silo, settings), tls));
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    // A setting out of range (the message names its key) or one the binder cannot convert: one line and exit code 1.
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
builder.Services.AddAcceptTelemetry();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");

var app = builder.Build();
app.MapHealthChecks("/healthz");
app.MapPrometheusScrapingEndpoint("/metrics");
// Create the project's instruments now, so /metrics lists the silo's gauges before the first step.
app.Services.GetRequiredService<AcceptMetrics>();
app.Logger.LogInformation("Silo role {Role} on {Device}, clustering {Clustering}, checkpoints {Checkpoints}, TLS {Tls}",
    settings.Silo.Role, settings.Silo.Device, settings.Cluster.Clustering, settings.Checkpoints, tls);

// The membership store first: a store that never answers is one line and exit code 1, not a stack dump.
if (await MembershipStore.WaitAsync(settings.Cluster, app.Logger) is { } unreachable)
{
    await Console.Error.WriteLineAsync($"error: {unreachable}");
    return 1;
}
await app.RunAsync();
return 0;
