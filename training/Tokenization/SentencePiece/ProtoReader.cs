using System.Buffers.Binary;
using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>
/// Minimal protobuf wire-format reader: just enough to walk a SentencePiece ModelProto.
/// Every field is returned with its raw bytes so unknown fields can be copied through untouched.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads the next field; <paramref name="raw"/> is the whole field (tag included) for verbatim copying.</summary>
    public ProtoField Next(out ReadOnlySpan<byte> raw)
    {
        var start = _pos;
        var tag = ReadVarint();
        var number = (int)(tag >> 3);
        var wireType = (WireType)(tag & 7);
        if (number <= 0)
            throw new InvalidDataException($"invalid protobuf field number {number} at byte {start}");
        ProtoField field;
        switch (wireType)
        {
            case WireType.Varint:
                field = new ProtoField(number, wireType, ReadVarint(), default);
                break;
            case WireType.Fixed64:
                field = new ProtoField(number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), default);
                break;
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > (ulong)(_data.Length - _pos))
                    throw new InvalidDataException($"protobuf field {number} at byte {start} claims {length} bytes; only {_data.Length - _pos} remain");
                field = new ProtoField(number, wireType, length, Take((int)length));
                break;
            case WireType.Fixed32:
                field = new ProtoField(number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), default);
                break;
            default:
                throw new InvalidDataException($"unsupported protobuf wire type {(int)wireType} for field {number} at byte {start}");
        }
        raw = _data[start.._pos];
        return field;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
                throw new InvalidDataException($"truncated protobuf varint at byte {_pos}");
            var b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException($"protobuf varint longer than 10 bytes ending at byte {_pos}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _pos)
            throw new InvalidDataException($"truncated protobuf data at byte {_pos}: needed {count} bytes");
        var span = _data.Slice(_pos, count);
        _pos += count;
        return span;
    }
}

internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>One decoded field: <see cref="Value"/> holds varints and fixed-width bits; <see cref="Bytes"/> length-delimited payloads.</summary>
internal readonly ref struct ProtoField(int number, WireType wireType, ulong value, ReadOnlySpan<byte> bytes)
{
    public int Number { get; } = number;
    public WireType WireType { get; } = wireType;
    public ulong Value { get; } = value;
    public ReadOnlySpan<byte> Bytes { get; } = bytes;

    /// <summary>int32 fields are sign-extended to 64 bits on the wire, so -1 arrives as 2^64-1.</summary>
    public int AsInt32() => unchecked((int)(long)Value);

    public bool AsBool() => Value != 0;

    public float AsFloat() => BitConverter.Int32BitsToSingle(unchecked((int)(uint)Value));

    public string AsString()
    {
        try
        {
            return StrictUtf8.GetString(Bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"field {Number} is not valid UTF-8 text");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
