namespace Accept.Client.Errors;

/// <summary>
/// The exit codes of every `accept` command (README, "Exit codes"): 0 success; 1 a runtime failure (a run
/// that diverged or failed, an I/O failure, an unexpected error); 2 bad input or usage (a spec, data file,
/// backbone, checkpoint, flag or cluster address that cannot be used; the message names it); 130 interrupted.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
