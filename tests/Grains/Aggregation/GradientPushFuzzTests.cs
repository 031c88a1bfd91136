using Accept.GrainInterfaces.Codebooks;
using Accept.Training.Config;
using Accept.GrainInterfaces.Tensors;
using Accept.Grains.Aggregation;
using CsCheck;
using Xunit.Abstractions;

namespace Accept.Tests.Grains.Aggregation;

/// <summary>
/// Generated gradient pushes (CsCheck) against a codebook group, through <see cref="GradientPushValidator"/>'s
/// public surface: each is accepted or rejected with a documented <see cref="PushRejectCode"/> and a reason;
/// none throws, and the group's view is left as it was.
/// </summary>
[Trait("Category", "Fast")]
public sealed class GradientPushFuzzTests(ITestOutputHelper output)
{
    private static readonly Gen<string> DTypes = Gen.OneOf("float32", "float64", "float16", "bfloat16", "int64", "int32", "F32", "", "complex64");

    private static readonly Gen<TensorPayload> Payloads = Gen.Select(
        DTypes,
        Gen.OneOf(Gen.Long[-1, 5].Array[0, 3], Gen.OneOf<long[]>([2, 3], [4], [3, 2], [long.MaxValue, 2], [0])),
        Gen.OneOf(Gen.Byte.Array[0, 40], Gen.Float.Array[0, 8].Select(f => f.SelectMany(BitConverter.GetBytes).ToArray()),
            Gen.OneOf(float.NaN, float.PositiveInfinity, 1f).Select(f => Enumerable.Repeat(f, 6).SelectMany(BitConverter.GetBytes).ToArray())))
        .Select(t => new TensorPayload(t.Item1, t.Item2, t.Item3));

    private static readonly Gen<GradientPush> Pushes = Gen.Select(
        Gen.OneOf(Gen.OneOf("t1", "t2", "t3", ""), Gen.String[0, 5]),
        Gen.OneOf(Gen.Long[-2, 8], Gen.OneOf(long.MinValue, long.MaxValue)),
        Gen.Long,
        Gen.Select(Gen.OneOf("scpp.codebook", "added.codebook", "other", ""), Payloads).Array[0, 3],
        Gen.Bool,
        Gen.OneOf(Gen.Const(Guid.Empty), Gen.Guid))
        .Select(t => new GradientPush(t.Item1, t.Item2, t.Item3, t.Item4.DistinctBy(g => g.Item1).ToDictionary(g => g.Item1, g => g.Item2), t.Item5, t.Item6));

    private static readonly Gen<CodebookGroupView> Groups = Gen.Select(Gen.Enum<AggregationMode>(), Gen.Bool, Gen.Int[0, 9])
        .Select(t => new CodebookGroupView(5, t.Item1, 2, t.Item2 && t.Item3 == 0,
            new Dictionary<string, TensorPayload>
            {
                ["scpp.codebook"] = new("float32", [2, 3], new byte[24]),
                ["added.codebook"] = new("float32", [4], new byte[16]),
            },
            new HashSet<string> { "t1", "t2" }, new HashSet<string> { "t2" }));

    [Fact]
    public void Every_generated_push_is_accepted_or_rejected_with_a_documented_code_and_no_state_change()
    {
        var tally = new FuzzTally();
        Gen.Select(Pushes, Groups).Sample((push, group) =>
        {
            var before = Fingerprint(group);
            var result = GradientPushValidator.Check(push, group);
            Assert.Equal(before, Fingerprint(group));
            if (result is null)
            {
                tally.Accept();
                return;
            }
            Assert.False(result.Accepted);
            Assert.True(Enum.IsDefined(result.Code) && result.Code != PushRejectCode.None, $"code {result.Code}");
            Assert.False(string.IsNullOrWhiteSpace(result.RejectReason));
            Assert.Equal(group.Version, result.Version);
            tally.Reject(result.Code.ToString());
        }, iter: FuzzCount.PerFamily, threads: 1);
        output.WriteLine($"gradient pushes: {tally}");
        Assert.True(tally.Rejected > 0, tally.ToString());
    }

    private static string Fingerprint(CodebookGroupView g) =>
        $"{g.Version}|{g.Mode}|{g.MaxStaleness}|{g.Closed}|{string.Join(",", g.Members.Order())}|{string.Join(",", g.PushedThisRound.Order())}|"
        + string.Join(";", g.Codebooks.Select(c => $"{c.Key}:{c.Value.DType}:{string.Join("x", c.Value.Shape)}:{Convert.ToHexString(c.Value.Data)}"));
}
