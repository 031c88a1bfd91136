using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Accept.Grains.Hosting;
using Accept.Training.Config;
using Orleans.Runtime;

namespace Accept.Silo.Hosting;

/// <summary>
/// The one place where a silo's bad settings become one line on stderr (<c>error: …</c>, naming the key and
/// what was expected) and exit code 2, as `accept` reports bad input (README, "Errors and exit codes"); never
/// a stack trace (it would show build paths), unless <c>ACCEPT_DEBUG=1</c> asks for it. A settings error is
/// anything thrown while the silo is configured and built (binding a key, <c>Validate</c>, TLS certificates,
/// the device), and while it starts an options validation failure or a port that another process holds.
/// </summary>
public static class SiloSettingsError
{
    public const int ExitCode = 2;
    public const string DebugVariable = "ACCEPT_DEBUG";

    /// <summary>An error thrown while the silo starts that is about its settings, not a failure of the run.</summary>
    public static bool IsStartSettingsError(Exception e) =>
        ErrorLines.Unwrap(e) is OptionsValidationException or OrleansConfigurationException or AddressInUseException or IOException { InnerException: AddressInUseException };

    /// <summary>Writes the one line (and the stack with <c>ACCEPT_DEBUG=1</c>) and returns the exit code.</summary>
    public static int Report(Exception e, TextWriter error, AcceptClusterOptions? cluster = null)
    {
        var inner = ErrorLines.Unwrap(e);
        var message = inner is IOException { InnerException: AddressInUseException }
            ? $"{inner.Message} (ASPNETCORE_URLS); expected a free port."
            : inner is AddressInUseException
            ? $"a port this silo listens on is already in use: {AcceptClusterOptions.Section}:SiloPort {cluster?.SiloPort}, " +
              $"{AcceptClusterOptions.Section}:GatewayPort {cluster?.GatewayPort} or the HTTP endpoint (ASPNETCORE_URLS); expected free ports."
            : inner is ArgumentException or InvalidOperationException or FormatException or OptionsValidationException or OrleansConfigurationException
            ? inner.Message
            : $"{inner.GetType().Name}: {inner.Message}";
        error.WriteLine($"error: silo settings: {ErrorLines.OneLine(message)}");
        if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
        {
            error.WriteLine(e.ToString());
        }
        return ExitCode;
    }
}
