namespace Accept.GrainInterfaces.Codebooks;

/// <summary>Why a push was rejected; a small closed set so it can tag metrics.</summary>
[GenerateSerializer]
[Alias("accept.PushRejectCode")]
public enum PushRejectCode
{
    None = 0,
    UnknownTask = 1,
    UnknownTensor = 2,
    WrongShape = 3,
    WrongDType = 4,
    NonFinite = 5,
    FutureVersion = 6,
    TooStale = 7,
    Closed = 8,
    Duplicate = 9,

    /// <summary>The push came from a task activation that a newer one replaced (its silo was declared dead); it is never applied.</summary>
    Superseded = 11,
}
