using static TorchSharp.torch;

namespace Accept.Training.IO;

/// <summary>One header entry: where a tensor's bytes lie in the data section (offsets relative to it).</summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, ScalarType ScalarType, long[] Shape, long Begin, long End);
