using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace Accept.Grains.Placement;

public static class PlacementServiceCollectionExtensions
{
    /// <summary>
    /// Registers the filters behind <see cref="WorkerPlacementAttribute"/> and <see cref="PreferCoordinatorPlacementAttribute"/>
    /// and the director behind <see cref="TaskSlotPlacementAttribute"/>; the silo must also call UseSiloMetadata.
    /// </summary>
    public static IServiceCollection AddWorkerPlacement(this IServiceCollection services)
    {
        services.AddPlacementFilter<WorkerPlacementFilterStrategy, WorkerPlacementFilterDirector>(ServiceLifetime.Singleton)
            .AddPlacementFilter<CoordinatorPlacementFilterStrategy, CoordinatorPlacementFilterDirector>(ServiceLifetime.Singleton);
        services.AddPlacementDirector<TaskSlotPlacementStrategy, TaskSlotPlacementDirector>();
        services.AddSingleton<CoordinatorHome>();
        return services;
    }
}
