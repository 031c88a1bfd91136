using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Accept.Grains.Placement;

public static class PlacementServiceCollectionExtensions
{
    /// <summary>Registers the filter behind <see cref="WorkerPlacementAttribute"/>; the silo must also call UseSiloMetadata.</summary>
    public static IServiceCollection AddWorkerPlacement(this IServiceCollection services) =>
        services.AddPlacementFilter<WorkerPlacementFilterStrategy, WorkerPlacementFilterDirector>(ServiceLifetime.Singleton);
}
