namespace Accept.Training.Data.Formats;

/// <summary>The checked lines of <see cref="DataLines"/> as a <see cref="TextReader"/> ('\n' between lines), for parsers that read characters (CsvHelper).</summary>
internal sealed class DataLinesReader(DataLines lines) : TextReader
{
    private string _current = "";
    private int _position;
    private bool _started, _atEnd;

    public override int Peek() => Ensure() ? _current[_position] : -1;

    public override int Read() => Ensure() ? _current[_position++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length && Ensure())
        {
            var n = Math.Min(buffer.Length - written, _current.Length - _position);
            _current.AsSpan(_position, n).CopyTo(buffer[written..]);
            _position += n;
            written += n;
        }
        return written;
    }

    /// <summary>True when a character is available; moves to the next line (with the '\n' that ended the previous one) as needed.</summary>
    private bool Ensure()
    {
        while (_position >= _current.Length)
        {
            if (_atEnd) return false;
            var next = lines.ReadLine();
            if (next is null)
            {
                _atEnd = true;
                return false;
            }
            _current = _started ? "\n" + next : next;
            _started = true;
            _position = 0;
        }
        return true;
    }
}
