namespace Accept.Training.Tokenization.Training;

/// <summary>
/// Builds a darts-clone double-array trie (the structure inside sentencepiece's precompiled charsmap) from
/// byte keys to integer values. Unit layout as darts-clone reads it: label in bits 0–7, has-leaf bit 8,
/// offset from bit 10; a node's children sit at (position XOR offset XOR label) and its value at
/// (position XOR offset) with bit 31 set.
/// </summary>
internal static class DoubleArrayBuilder
{
    private const int BlockSize = 256;
    private const int MaxOffset = 1 << 21; // larger offsets need darts-clone's extended encoding; never reached here

    private sealed class TrieNode
    {
        public readonly SortedDictionary<byte, TrieNode> Children = [];
        public int? Value;
    }

    public static uint[] Build(IEnumerable<(byte[] Key, int Value)> entries)
    {
        var root = new TrieNode();
        foreach (var (key, value) in entries)
        {
            if (key.Length == 0 || key.Contains((byte)0))
                throw new ArgumentException("double-array keys must be non-empty and contain no zero byte");
            var node = root;
            foreach (var b in key)
            {
                if (!node.Children.TryGetValue(b, out var child))
                    node.Children[b] = child = new TrieNode();
                node = child;
            }
            node.Value = value;
        }

        var units = new List<uint> { 0 };
        var used = new List<bool> { true };
        var usedBases = new HashSet<int>();
        var pending = new Queue<(TrieNode Node, int Position)>();
        pending.Enqueue((root, 0));
        var searchFrom = 1;
        while (pending.Count > 0)
        {
            var (node, pos) = pending.Dequeue();
            if (node.Children.Count == 0 && node.Value is null)
                continue;
            var baseIndex = FindBase(node, used, usedBases, ref searchFrom);
            usedBases.Add(baseIndex);
            var offset = pos ^ baseIndex;
            if (offset >= MaxOffset)
                throw new InvalidOperationException("double array too large for the simple offset encoding");
            Grow(units, used, (baseIndex / BlockSize + 1) * BlockSize);
            units[pos] |= (uint)offset << 10 | (node.Value is null ? 0u : 1u << 8);
            if (node.Value is { } value)
            {
                units[baseIndex] = (uint)value | 1u << 31;
                used[baseIndex] = true;
            }
            foreach (var (label, child) in node.Children)
            {
                var childPos = baseIndex ^ label;
                units[childPos] = label;
                used[childPos] = true;
                pending.Enqueue((child, childPos));
            }
        }
        return [.. units];
    }

    private static int FindBase(TrieNode node, List<bool> used, HashSet<int> usedBases, ref int searchFrom)
    {
        while (searchFrom < used.Count && used[searchFrom])
            searchFrom++;
        for (var candidate = Math.Max(1, searchFrom & ~0xFF); ; candidate++)
        {
            if (usedBases.Contains(candidate) || (node.Value is not null && IsUsed(used, candidate)))
                continue;
            if (node.Children.Keys.All(label => !IsUsed(used, candidate ^ label)))
                return candidate;
        }
    }

    private static bool IsUsed(List<bool> used, int index) => index < used.Count && used[index];

    private static void Grow(List<uint> units, List<bool> used, int size)
    {
        while (units.Count < size)
        {
            units.Add(0);
            used.Add(false);
        }
    }
}
