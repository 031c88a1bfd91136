using Accept.Training.MultiTask;

namespace Accept.Tests.MultiTask;

[Trait("Category", "Fast")]
public class DataCursorTests
{
    [Fact]
    public void EachEpochIsAPermutationAndEpochsDiffer()
    {
        var cursor = new DataCursor(10, 42, "t");
        var first = cursor.Next(10);
        var second = cursor.Next(10);
        Assert.Equal(Enumerable.Range(0, 10), first.Order());
        Assert.Equal(Enumerable.Range(0, 10), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(1, cursor.Epoch);
        Assert.Equal(10, cursor.Position);
    }

    [Fact]
    public void BatchesCrossEpochsAndTheCursorResumesExactly()
    {
        var a = new DataCursor(7, 1, "t");
        a.Next(5);
        var b = new DataCursor(7, 1, "t");
        b.MoveTo(a.Epoch, a.Position);
        Assert.Equal(a.Next(4), b.Next(4));
        Assert.Equal(1, a.Epoch);
        Assert.Equal(2, a.Position);
        Assert.NotEqual(new DataCursor(7, 1, "t").Next(7), new DataCursor(7, 1, "u").Next(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.MoveTo(0, 8));
    }
}
