using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;

namespace Accept.Tests.Grains.Aggregation;

[Trait("Category", "Fast")]
public sealed class GradientPushValidatorTests
{
    private static TensorPayload Floats(long[] shape, float value = 0.5f) =>
        new("float32", shape, Enumerable.Repeat(value, (int)shape.Aggregate(1L, (a, b) => a * b)).SelectMany(BitConverter.GetBytes).ToArray());

    private static CodebookGroupView Group(AggregationMode mode = AggregationMode.Sync, long version = 10, bool closed = false, params string[] pushed) => new(
        version, mode, MaxStaleness: 2, closed,
        new Dictionary<string, TensorPayload> { ["scpp"] = Floats([4, 3, 2]), ["scap"] = Floats([2, 2]) },
        new HashSet<string> { "spam", "cmudict" },
        new HashSet<string>(pushed));

    private static GradientPush Push(string task = "spam", long baseVersion = 10, Dictionary<string, TensorPayload>? gradients = null) => new(
        task, baseVersion, Step: 7,
        gradients ?? new Dictionary<string, TensorPayload> { ["scpp"] = Floats([4, 3, 2], 0.1f), ["scap"] = Floats([2, 2], 0.2f) });

    [Fact]
    public void A_well_formed_push_for_the_current_version_is_accepted() =>
        Assert.Null(GradientPushValidator.Check(Push(), Group()));

    [Fact]
    public void Async_accepts_gradients_up_to_max_staleness_old() =>
        Assert.Null(GradientPushValidator.Check(Push(baseVersion: 8), Group(AggregationMode.Async)));

    public static TheoryData<string, GradientPush, CodebookGroupView, PushRejectCode, string> Rejections => new()
    {
        { "closed", Push(), Group(closed: true), PushRejectCode.Closed, "closed" },
        { "unknown task", Push(task: "sotu"), Group(), PushRejectCode.UnknownTask, "'sotu'" },
        { "future", Push(baseVersion: 11), Group(), PushRejectCode.FutureVersion, "11" },
        { "sync stale", Push(baseVersion: 9), Group(), PushRejectCode.TooStale, "version 10" },
        { "async too stale", Push(baseVersion: 7), Group(AggregationMode.Async), PushRejectCode.TooStale, "3 versions old" },
        { "duplicate", Push(), Group(AggregationMode.Sync, 10, false, "spam"), PushRejectCode.Duplicate, "already pushed" },
        { "extra tensor", Push(gradients: new() { ["scpp"] = Floats([4, 3, 2]), ["scap"] = Floats([2, 2]), ["w"] = Floats([1]) }), Group(), PushRejectCode.UnknownTensor, "'w'" },
        { "missing tensor", Push(gradients: new() { ["scpp"] = Floats([4, 3, 2]) }), Group(), PushRejectCode.UnknownTensor, "'scap'" },
        { "wrong dtype", Push(gradients: new() { ["scpp"] = new TensorPayload("float64", [4, 3, 2], new byte[192]), ["scap"] = Floats([2, 2]) }), Group(), PushRejectCode.WrongDType, "float64" },
        { "wrong shape", Push(gradients: new() { ["scpp"] = Floats([4, 2, 3]), ["scap"] = Floats([2, 2]) }), Group(), PushRejectCode.WrongShape, "[4, 2, 3]" },
        { "short bytes", Push(gradients: new() { ["scpp"] = new TensorPayload("float32", [4, 3, 2], new byte[95]), ["scap"] = Floats([2, 2]) }), Group(), PushRejectCode.WrongShape, "got 95" },
        { "NaN", Push(gradients: new() { ["scpp"] = Floats([4, 3, 2]), ["scap"] = Floats([2, 2], float.NaN) }), Group(), PushRejectCode.NonFinite, "'scap'" },
        { "infinity", Push(gradients: new() { ["scpp"] = Floats([4, 3, 2], float.PositiveInfinity), ["scap"] = Floats([2, 2]) }), Group(), PushRejectCode.NonFinite, "'scpp'" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Bad_pushes_are_rejected_with_a_code_and_a_reason(string _, GradientPush push, CodebookGroupView group, PushRejectCode code, string mentioned)
    {
        var result = GradientPushValidator.Check(push, group);

        Assert.NotNull(result);
        Assert.False(result.Accepted);
        Assert.Equal(code, result.Code);
        Assert.Equal(group.Version, result.Version);
        Assert.Contains(mentioned, result.RejectReason);
    }
}
