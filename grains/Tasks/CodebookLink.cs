using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Aggregation;
using Microsoft.Extensions.Logging;
using Polly;

namespace Accept.Grains.Tasks;

/// <summary>
/// A task activation's calls to its codebook grain: resolved again on every attempt, retried through
/// failovers (<see cref="TransientCalls"/>), and stamped with this activation's <see cref="Epoch"/> so the
/// group refuses pushes from an activation a newer one replaced. A sync push that answers
/// <see cref="PushResult.Pending"/> is offered again until its round closes; the group counts it once.
/// </summary>
public sealed class CodebookLink : ICodebookGroupLink
{
    private readonly IGrainFactory _grains;
    private readonly string _key;
    private readonly string _task;
    private readonly ResiliencePipeline _retry;
    private readonly CancellationToken _stopping;
    private readonly SiloAggregator? _aggregator;

    /// <param name="aggregator">This silo's aggregator (hierarchical aggregation): pushes go through it, alone when it says so; null: every push goes alone.</param>
    public CodebookLink(IGrainFactory grains, string jobId, string group, string task, ILogger logger, CancellationToken stopping, SiloAggregator? aggregator = null)
    {
        _aggregator = aggregator;
        _grains = grains;
        _key = GrainKeys.Codebook(jobId, group);
        _task = task;
        _stopping = stopping;
        _retry = TransientCalls.Pipeline((e, attempt, delay) =>
            logger.LogWarning("Task {Task}: codebook group {Group} unreachable ({Error}); retry {Attempt} in {Delay:0.0} s", task, _key, e.Message, attempt + 1, delay.TotalSeconds));
    }

    /// <summary>This activation's id in the group.</summary>
    public Guid Epoch { get; } = Guid.NewGuid();

    private ICodebookGrain Grain => _grains.GetGrain<ICodebookGrain>(_key);

    public Task<CodebookSnapshot> Join() => _retry.Run(() => Grain.Join(_task, Epoch), _stopping);

    public Task Leave() => _retry.Run(() => Grain.Leave(_task), _stopping);

    public Task<CodebookSnapshot> Snapshot(long sinceVersion) => _retry.Run(() => Grain.GetSnapshot(sinceVersion), _stopping);

    /// <summary>The push's final answer (never <see cref="PushResult.Pending"/>).</summary>
    public async Task<PushResult> Push(long baseVersion, long step, IReadOnlyDictionary<string, GrainInterfaces.Tensors.TensorPayload> gradients, bool skipped)
    {
        var push = new GradientPush(_task, baseVersion, step, gradients, skipped, Epoch);
        if (_aggregator is not null)
        {
            // In-process: nothing transient between a task and its silo's aggregator, so no retries here.
            var viaSilo = await _aggregator.Push(_key, push);
            while (viaSilo is { Pending: true })
            {
                viaSilo = await _aggregator.Push(_key, push);
            }
            if (viaSilo is not null)
            {
                return viaSilo;
            }
        }
        var result = await _retry.Run(() => Grain.PushGradient(push), _stopping);
        while (result.Pending)
        {
            result = await _retry.Run(() => Grain.PushGradient(push), _stopping);
        }
        return result;
    }
}
