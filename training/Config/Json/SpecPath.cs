namespace Accept.Training.Config.Json;

/// <summary>JSON paths: System.Text.Json's (<c>$.tasks[0]['odd.key']</c>) read into segments, and written as error lines write them (<c>tasks[0].odd.key</c>).</summary>
internal static class SpecPath
{
    /// <summary>Names (string) and array indices (int) from the root down; none for <c>$</c> or no path.</summary>
    public static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        if (path is null) return segments;
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                // A name with '.', '[', quotes or spaces: up to the "']" that ends the segment.
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                while (end >= 0 && end + 2 < path.Length && path[end + 2] is not ('.' or '['))
                    end = path.IndexOf("']", end + 1, StringComparison.Ordinal);
                if (end < 0) break;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index)) break;
                segments.Add(index);
                i = end + 1;
            }
            else break;
        }
        return segments;
    }

    /// <summary><c>tasks[0].name</c>; <c>(top level)</c> for the root. Names are cut at 80 characters.</summary>
    public static string Display(IEnumerable<object> segments)
    {
        var text = string.Concat(segments.Select((s, i) => s is int index ? $"[{index}]" : (i == 0 ? "" : ".") + SpecValues.Printable((string)s)));
        return text.Length == 0 ? "(top level)" : text;
    }
}
