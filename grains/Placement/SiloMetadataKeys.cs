namespace Accept.Grains.Placement;

/// <summary>The silo metadata this project declares and places by.</summary>
public static class SiloMetadataKeys
{
    /// <summary>"worker" silos run task grains; "coordinator" silos host only codebook and job grains.</summary>
    public const string Role = "accept.role";

    /// <summary>The silo's Accept:Silo:Device setting: "cpu", "cuda" or "cuda:N".</summary>
    public const string Device = "accept.device";

    /// <summary>How many training steps the silo runs at once.</summary>
    public const string Slots = "accept.slots";

    public const string WorkerRole = "worker";
    public const string CoordinatorRole = "coordinator";
}
