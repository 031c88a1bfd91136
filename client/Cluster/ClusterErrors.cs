using Accept.Training.Config;

namespace Accept.Client.Cluster;

/// <summary>The errors a cluster command reports as one line on stderr (exit code 2) instead of a stack trace.</summary>
internal static class ClusterErrors
{
    public static async Task<int> ReportAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ClusterUnavailableException or RunPreparationException or SpecException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }
}
