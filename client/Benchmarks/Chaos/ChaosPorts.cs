using System.Net;
using System.Net.Sockets;

namespace Accept.Client.Benchmarks.Chaos;

/// <summary>
/// The loopback ports the harness's processes listen on: from <c>--ports FIRST</c>, the next free one of the
/// 500 from FIRST on, in turn (so a port a killed process left in TIME_WAIT is not reused at once); without
/// it, ports the system picks. Several harnesses or test runs on one machine each take their own range.
/// </summary>
public sealed class ChaosPorts(int first)
{
    public const int RangeSize = 500;
    private int _offset;

    /// <summary>A port free on 127.0.0.1 now.</summary>
    public int Next()
    {
        if (first == 0)
        {
            return TryBind(0) ?? throw new InvalidOperationException("the system gave no free loopback port");
        }
        for (var attempt = 0; attempt < RangeSize; attempt++)
        {
            var port = first + Interlocked.Increment(ref _offset) % RangeSize;
            if (TryBind(port) is { } free) return free;
        }
        throw new InvalidOperationException($"--ports {first}: none of the ports {first}-{first + RangeSize - 1} is free on 127.0.0.1.");
    }

    private static int? TryBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
