using Accept.Training.Checkpointing.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Checkpoints;

public static class CheckpointServiceCollectionExtensions
{
    /// <summary>Binds <see cref="CheckpointStoreOptions"/> from "Accept:Checkpoints" and registers the store as a singleton.</summary>
    public static IServiceCollection AddAcceptCheckpointStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CheckpointStoreOptions>().Bind(configuration.GetSection(CheckpointStoreOptions.Section));
        services.AddSingleton(sp => CheckpointStoreFactory.Create(sp.GetRequiredService<IOptions<CheckpointStoreOptions>>().Value));
        return services;
    }
}
