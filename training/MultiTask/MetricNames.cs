using System.Text;
using Accept.Training.Metrics;

namespace Accept.Training.MultiTask;

/// <summary>Metric names as the run spec and the run directory write them (snake_case: <c>exact_match</c>).</summary>
public static class MetricNames
{
    public static string Of(MetricKind kind)
    {
        var name = kind.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
