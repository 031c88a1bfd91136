using System.Net;
using System.Net.Sockets;

namespace Accept.Tests.Cluster;

/// <summary>Where the repository is, free loopback ports, and whether a missing service may skip a test.</summary>
internal static class TestEnvironment
{
    /// <summary>CI sets ACCEPT_REQUIRE_SERVICES=1: there a missing Redis, Azurite or npm is a failure.</summary>
    public static bool ServicesRequired => Environment.GetEnvironmentVariable("ACCEPT_REQUIRE_SERVICES") == "1";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    /// <summary>Skips (or, where services are required, fails) with <paramref name="reason"/>.</summary>
    public static void SkipOrFail(string reason)
    {
        if (ServicesRequired)
        {
            throw new InvalidOperationException($"{reason} (ACCEPT_REQUIRE_SERVICES=1, so this is a failure).");
        }
        throw new SkipException(reason);
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Accept.Distributed.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Accept.Distributed.sln above {AppContext.BaseDirectory}.");
    }
}
