using Spectre.Console;

namespace Accept.Client.Cluster;

/// <summary>
/// The console the cluster commands write to. Redirected output (logs, CI, scripts) gets a wide fixed width,
/// so tables keep whole task names instead of wrapping them at Spectre's default 80 columns.
/// </summary>
internal static class ClientConsole
{
    public const int RedirectedWidth = 160;

    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }
}
