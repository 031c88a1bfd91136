using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Accept.Silo.Hosting;

/// <summary>Healthy once the silo has joined the cluster and is active; not while it starts or stops.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {oracle.SiloAddress} active")
            : HealthCheckResult.Unhealthy($"silo {oracle.SiloAddress} is {oracle.CurrentStatus}"));
}
