using Accept.Training.Optim;

namespace Accept.Tests.Optim;

[Trait("Category", "Fast")]
public class LinearScheduleTests
{
    [Fact]
    public void WarmsUpLinearlyThenDecaysToZero()
    {
        var s = new LinearSchedule(0.3, 10, 110);
        Assert.Equal(0.0, s.At(0), 12);
        Assert.Equal(0.15, s.At(5), 12);
        Assert.Equal(0.3, s.At(10), 12);
        Assert.Equal(0.15, s.At(60), 12);
        Assert.Equal(0.003, s.At(109), 12);
        Assert.Equal(0.0, s.At(110), 12);
        Assert.Equal(0.0, s.At(500), 12);
    }

    [Fact]
    public void WithoutWarmupStartsAtTheBaseRate()
    {
        var s = new LinearSchedule(1.0, 0, 4);
        Assert.Equal(new[] { 1.0, 0.75, 0.5, 0.25 }, Enumerable.Range(0, 4).Select(i => s.At(i)));
    }
}
