namespace Accept.Client.Benchmarks.Chaos;

/// <summary>Starts this same `accept` (apphost or `dotnet accept.dll`) as a child process: the client under test.</summary>
internal static class AcceptChild
{
    public static ChaosProcess Start(string name, IEnumerable<string> arguments, string stateDirectory, string workingDirectory)
    {
        var (executable, all) = AcceptSelf.Command(arguments);
        return ChaosProcess.Start(name, executable, all, new Dictionary<string, string> { ["ACCEPT_STATE_DIR"] = stateDirectory }, workingDirectory);
    }
}
