namespace Accept.GrainInterfaces.Jobs;

/// <summary>How long an <see cref="IJobObserver"/> subscription lasts, and how often a listener renews it.</summary>
public static class JobSubscription
{
    /// <summary>A subscription not renewed for this long is dropped by the job grain.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Listeners subscribe again this often (also what brings them back after the job grain moved).</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(5);
}
