using System.IO.Compression;
using System.Text;

namespace Accept.Training.Data.Formats;

/// <summary>
/// The one way task data files are read as text: lines split on '\n' at the byte level, each checked before
/// it becomes a string — strict UTF-8, no NUL bytes, at most <see cref="MaxLineBytes"/> per line and
/// <see cref="MaxFileBytes"/> per file (decompressed: a gzip bomb stops at the limit, it is never held in
/// memory) — and <c>.gz</c> files checked as gzip from end to end (header, CRC, a trailer that matches the
/// data). Every failure is a <see cref="DataFormatException"/> naming the file and line, never quoting the
/// file's contents (a data path may point at a file that is not data).
/// </summary>
internal sealed class DataLines : IDisposable
{
    public const int MaxLineBytes = 1 << 20;
    public const long MaxFileBytes = 4L << 30;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _path;
    private readonly FileStream _file;
    private readonly Stream _stream;
    private readonly bool _compressed;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _position, _length;
    private long _total;
    private bool _atEnd;

    private DataLines(string path, FileStream file, bool compressed)
    {
        _path = path;
        _file = file;
        _compressed = compressed;
        _stream = compressed ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
    }

    /// <summary>1-based number of the line last returned by <see cref="ReadLine"/>.</summary>
    public int LineNumber { get; private set; }

    public static DataLines Open(string path)
    {
        FileGuard.RequireFile(path);
        var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var file = File.OpenRead(path);
        try
        {
            if (compressed && (file.Length < 18 || file.ReadByte() != 0x1f || file.ReadByte() != 0x8b))
                throw new DataFormatException(path, null, null, "named .gz but is not gzip-compressed (no gzip header)");
            file.Position = 0;
            return new DataLines(path, file, compressed);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The next line without its line break ('\r\n' or '\n'); a UTF-8 byte-order mark at the start of the file is dropped. Null at the end.</summary>
    public string? ReadLine()
    {
        if (_atEnd) return null;
        _line.SetLength(0);
        var lineNumber = LineNumber + 1;
        while (true)
        {
            if (_position == _length && !Fill(lineNumber))
            {
                _atEnd = true;
                if (_line.Length == 0) return null;
                break;
            }
            var span = _buffer.AsSpan(_position, _length - _position);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span : span[..newline];
            if (_line.Length + take.Length > MaxLineBytes)
                throw new DataFormatException(_path, lineNumber, null, $"line is longer than {MaxLineBytes:N0} bytes (is this a data file?)");
            _line.Write(take);
            _position += take.Length;
            if (newline >= 0)
            {
                _position++;
                break;
            }
        }
        LineNumber = lineNumber;
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (bytes.Length > 0 && bytes[^1] == '\r') bytes = bytes[..^1];
        if (lineNumber == 1 && bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        if (bytes.IndexOf((byte)0) is var nul and >= 0)
            throw new DataFormatException(_path, lineNumber, null, $"NUL byte at column {nul + 1} (binary data, or a UTF-16 file; expected UTF-8 text)");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(_path, lineNumber, null, $"not valid UTF-8 text (at byte {e.Index + 1} of the line)");
        }
    }

    /// <summary>Every line, numbered from 1.</summary>
    public IEnumerable<(int Line, string Text)> All()
    {
        while (ReadLine() is { } text) yield return (LineNumber, text);
    }

    private bool Fill(int lineNumber)
    {
        try
        {
            _length = _stream.Read(_buffer, 0, _buffer.Length);
        }
        catch (InvalidDataException)
        {
            throw new DataFormatException(_path, lineNumber, null, "gzip data is corrupt (bad CRC or damaged deflate stream)");
        }
        _position = 0;
        _total += _length;
        if (_total > MaxFileBytes)
            throw new DataFormatException(_path, lineNumber, null, $"more than {MaxFileBytes:N0} bytes of text (decompressed); split the file");
        if (_length > 0) return true;
        if (_compressed) CheckTrailer(lineNumber);
        return false;
    }

    /// <summary>
    /// A gzip file cut short (a line boundary included) can end without complaint from the decompressor; the
    /// last member's trailer holds the length of its data mod 2³², which then disagrees with what was read.
    /// </summary>
    private void CheckTrailer(int lineNumber)
    {
        Span<byte> trailer = stackalloc byte[4];
        _file.Position = _file.Length - 4;
        _file.ReadExactly(trailer);
        var expected = BitConverter.ToUInt32(trailer);
        if (expected != (uint)_total && !IsMultiMember())
            throw new DataFormatException(_path, lineNumber, null,
                $"gzip data is truncated: {_total:N0} bytes decompressed, but the gzip trailer is missing or says otherwise");
    }

    /// <summary>Concatenated gzip members (as `cat a.gz b.gz` makes) carry one trailer each; the last covers only the last member.</summary>
    private bool IsMultiMember()
    {
        _file.Position = 10;
        var rest = new byte[Math.Min(_file.Length - 10, 1 << 24)];
        _file.ReadExactly(rest);
        return rest.AsSpan().IndexOf([(byte)0x1f, (byte)0x8b, (byte)0x08]) >= 0;
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _file)) _stream.Dispose();
        _file.Dispose();
        _line.Dispose();
    }
}
