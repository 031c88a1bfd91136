using System.Diagnostics;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Tensors;

namespace Accept.Client.Cluster;

/// <summary>
/// Codebook-grain push throughput: N pushers, each a member task of one async group, push gradients of the
/// group's real shapes back to back for a fixed time; pushes/s and latency percentiles of the accepted ones.
/// </summary>
public static class PushBenchmark
{
    /// <param name="groupSpec">The group; async mode with a staleness bound no pusher can exceed, so every push is applied.</param>
    public static async Task<PushBenchmarkResult> RunAsync(IClusterClient client, CodebookGroupSpec groupSpec, int pushers, TimeSpan duration, TimeSpan warmup)
    {
        var grain = client.GetGrain<ICodebookGrain>(GrainKeys.Codebook(groupSpec.JobId, groupSpec.Group));
        await grain.Initialize(groupSpec);
        var members = Enumerable.Range(0, pushers).Select(i => $"pusher-{i:D3}").ToList();
        var snapshots = await Task.WhenAll(members.Select(m => grain.Join(m)));
        var tensors = snapshots[0].Tensors ?? throw new InvalidOperationException("Join returned no codebooks.");
        var gradients = tensors.ToDictionary(t => t.Key, t => SmallGradient(t.Value));
        long payloadBytes = gradients.Values.Sum(g => (long)g.Data.Length);

        var measuring = false;
        var latencies = new List<double>[pushers];
        long rejected = 0;
        string? firstRejection = null;
        using var stop = new CancellationTokenSource();
        var loops = members.Select((member, index) => Task.Run(async () =>
        {
            var mine = latencies[index] = [];
            var version = snapshots[index].Version;
            for (long step = 1; !stop.IsCancellationRequested; step++)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await grain.PushGradient(new GradientPush(member, version, step, gradients));
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!result.Accepted)
                {
                    Interlocked.Increment(ref rejected);
                    Interlocked.CompareExchange(ref firstRejection, $"{result.Code}: {result.RejectReason}", null);
                    version = (await grain.GetSnapshot(long.MaxValue)).Version;
                    continue;
                }
                version = result.Version;
                if (Volatile.Read(ref measuring))
                {
                    mine.Add(elapsed);
                }
            }
        })).ToList();

        await Task.Delay(warmup);
        var before = await grain.GetStatus();
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await grain.GetStatus();
        stop.Cancel();
        await Task.WhenAll(loops);
        await grain.Close();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new PushBenchmarkResult(
            pushers,
            all.Length / seconds,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            all.Length,
            after.Version - before.Version,
            Interlocked.Read(ref rejected),
            firstRejection,
            payloadBytes,
            tensors.ToDictionary(t => t.Key, t => t.Value.Shape));
    }

    /// <summary>Gradient bytes of the codebook's dtype and shape: small values, so a long run keeps the codebooks finite.</summary>
    private static TensorPayload SmallGradient(TensorPayload codebook)
    {
        if (codebook.DType != "float32")
        {
            throw new NotSupportedException($"The push benchmark writes float32 gradients; the group's codebook is {codebook.DType}.");
        }
        var count = codebook.Data.Length / sizeof(float);
        var random = new Random(7);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * 1e-3);
        }
        var bytes = new byte[codebook.Data.Length];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new TensorPayload(codebook.DType, codebook.Shape, bytes);
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
