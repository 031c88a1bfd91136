using System.Globalization;
using Accept.Training.Prediction;

namespace Accept.Client.Commands;

/// <summary>
/// Decoding progress on stderr (stdout stays for results): a bar redrawn in place on a terminal, a line
/// per tenth of the work when stderr is redirected; inputs done, tokens generated per second.
/// </summary>
internal sealed class DecodeProgressBar(string label) : IProgress<DecodeProgress>
{
    private const int Width = 30;
    private int _lastTenth = -1;

    public void Report(DecodeProgress p)
    {
        int filled = p.Total == 0 ? Width : (int)((long)p.Done * Width / p.Total);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {p.Done}/{p.Total}  {p.TokensPerSecond:F1} tokens/s");
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write("\r" + line);
            if (p.Done == p.Total) Console.Error.WriteLine();
            return;
        }
        int tenth = p.Total == 0 ? 10 : (int)((long)p.Done * 10 / p.Total);
        if (tenth == _lastTenth) return;
        _lastTenth = tenth;
        Console.Error.WriteLine(line);
    }
}
