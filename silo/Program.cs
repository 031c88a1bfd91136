// The Accept.Distributed silo: Orleans for the grains, ASP.NET Core for /healthz and /metrics.
// Settings come from appsettings.json, then environment variables (Accept__Silo__Role=worker, ...);
// docs/operations.md lists every key.
using Accept.Grains.Telemetry;
using Accept.Silo.Hosting;
using Accept.Grains.Hosting;
using Accept.Grains.Hosting.Tls;

// Bad settings (a key that does not bind, a value out of range, a TLS certificate that does not load, a
// device that is not there) stop the silo with one line naming the key and exit code 2 (SiloSettingsError).
WebApplication app;
AcceptSiloSettings settings;
try
{
    var builder = WebApplication.CreateBuilder(args);
    settings = AcceptSiloSettings.FromConfiguration(builder.Configuration);
    var tls = AcceptTls.FromConfiguration(builder.Configuration);
    builder.UseOrleans(silo => AcceptTls.ConfigureSilo(AcceptSiloBuilder.Configure(silo, settings), tls));
    builder.Services.AddAcceptTelemetry();
    builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("orleans-silo");

    app = builder.Build();
    app.MapHealthChecks("/healthz");
    app.MapPrometheusScrapingEndpoint("/metrics");
    // Create the project's instruments now, so /metrics lists the silo's gauges before the first step.
    app.Services.GetRequiredService<AcceptMetrics>();
    app.Logger.LogInformation("Silo role {Role} on {Device}, clustering {Clustering}, checkpoints {Checkpoints}, TLS {Tls}",
        settings.Silo.Role, settings.Silo.Device, settings.Cluster.Clustering, settings.Checkpoints, tls);
}
catch (Exception e)
{
    return SiloSettingsError.Report(e, Console.Error);
}

// The membership store first: a store that never answers is one line and exit code 1, not a stack dump.
if (await MembershipStore.WaitAsync(settings.Cluster, app.Logger) is { } unreachable)
{
    await Console.Error.WriteLineAsync($"error: {unreachable}");
    return 1;
}
try
{
    await app.RunAsync();
}
catch (Exception e) when (SiloSettingsError.IsStartSettingsError(e))
{
    return SiloSettingsError.Report(e, Console.Error, settings.Cluster);
}
return 0;
