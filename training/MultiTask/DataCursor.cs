using Accept.Training.Prompts;

namespace Accept.Training.MultiTask;

/// <summary>
/// Walks a task's training examples in epochs, each a fresh shuffle seeded from (seed, task, epoch), so
/// (<see cref="Epoch"/>, <see cref="Position"/>) is all the state a checkpoint needs to continue the
/// exact same order. A batch that crosses the end of an epoch continues into the next one.
/// </summary>
public sealed class DataCursor
{
    private readonly int _count;
    private readonly long _seed;
    private readonly string _taskName;
    private int[] _order;

    public DataCursor(int count, long seed, string taskName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _count = count;
        _seed = seed;
        _taskName = taskName;
        _order = Shuffle(0);
    }

    public long Epoch { get; private set; }
    public int Position { get; private set; }

    public int[] Next(int batchSize)
    {
        var indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            if (Position == _count) MoveTo(Epoch + 1, 0);
            indices[i] = _order[Position++];
        }
        return indices;
    }

    public void MoveTo(long epoch, int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (position < 0 || position > _count)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"data cursor of task '{_taskName}': position must be within 0..{_count}");
        if (epoch != Epoch) _order = Shuffle(epoch);
        Epoch = epoch;
        Position = position;
    }

    // Fisher–Yates with SplitMix64: the same order on every machine and .NET version.
    private int[] Shuffle(long epoch)
    {
        var order = Enumerable.Range(0, _count).ToArray();
        ulong state = (ulong)SeedDerivation.Derive(_seed, $"data/{_taskName}/{epoch}");
        for (int i = _count - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            int j = (int)(z % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
