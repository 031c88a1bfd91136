using System.Buffers.Binary;
using System.Text;

namespace Accept.Training.Tokenization.SentencePiece;

/// <summary>Minimal protobuf wire-format writer, the counterpart of <see cref="ProtoReader"/>.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteInt32(int number, int value)
    {
        WriteTag(number, WireType.Varint);
        // Negative int32 values are sign-extended to ten varint bytes, as protobuf requires.
        WriteVarint(unchecked((ulong)(long)value));
    }

    public void WriteBool(int number, bool value)
    {
        WriteTag(number, WireType.Varint);
        WriteVarint(value ? 1UL : 0UL);
    }

    public void WriteFloat(int number, float value)
    {
        WriteTag(number, WireType.Fixed32);
        Span<byte> bits = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bits, value);
        _buffer.Write(bits);
    }

    public void WriteString(int number, string value) => WriteBytes(number, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int number, ReadOnlySpan<byte> value)
    {
        WriteTag(number, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void WriteTag(int number, WireType wireType) => WriteVarint(((ulong)number << 3) | (ulong)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
