using System.Diagnostics;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Codebooks;
using Accept.GrainInterfaces.Simulation;
using Accept.Grains.Aggregation;
using Accept.Grains.Placement;
using Accept.Grains.Tasks;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Accept.Grains.Simulation;

/// <summary>
/// A task grain whose steps are synthetic (<see cref="SyntheticStepper"/>): placed like <see cref="TaskGrain"/>
/// (worker silos, by task count) and coordinating through the same <see cref="CodebookLink"/> (epoch, retries,
/// pending pushes, the silo's aggregator), so `accept bench scale` measures the real coordination path with
/// no backbone. It holds the last snapshot it got (shared with the silo's other tasks when aggregated).
/// </summary>
[WorkerPlacement]
[TaskSlotPlacement]
[Reentrant]
public sealed class SimulatedTaskGrain(ILocalSiloDetails silo, SiloAggregator aggregator, ILogger<SimulatedTaskGrain> logger) : Grain, ISimulatedTaskGrain
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<SimulatedStep> _steps = [];
    private SimulationSpec? _spec;
    private CodebookSnapshot? _codebooks;
    private long _gradientBytes;
    private long _codebookBytes;
    private bool _done;
    private string? _error;

    public Task Start(SimulationSpec spec)
    {
        if (_spec is null)
        {
            _spec = spec;
            _ = RunAsync(spec);
        }
        return Task.CompletedTask;
    }

    public Task<SimulationReport> GetReport() =>
        Task.FromResult(new SimulationReport(_spec?.Task ?? "", silo.Name, _steps.ToList(), _done, _error, _gradientBytes, _codebookBytes));

    public async Task Stop()
    {
        await _stopping.CancelAsync();
        DeactivateOnIdle();
    }

    private async Task RunAsync(SimulationSpec spec)
    {
        try
        {
            var link = new CodebookLink(GrainFactory, spec.JobId, spec.Group, spec.Task, logger, _stopping.Token, spec.Hierarchical ? aggregator : null);
            _codebooks = await link.Join();
            var stepper = new SyntheticStepper(spec, _codebooks.Tensors!);
            _gradientBytes = stepper.GradientBytes;
            _codebookBytes = _codebooks.Tensors!.Values.Sum(t => (long)t.Data.Length);
            var version = _codebooks.Version;
            for (var step = 1; step <= spec.Steps && !_stopping.IsCancellationRequested; step++)
            {
                var started = Stopwatch.GetTimestamp();
                var ms = stepper.NextStepMs();
                if (ms > 0)
                {
                    // The step's compute, simulated: the grain stays free for other calls meanwhile.
                    await Task.Delay(TimeSpan.FromMilliseconds(ms), _stopping.Token);
                }
                var result = await link.Push(version, step, stepper.Gradients, skipped: false);
                if (result.Snapshot is { } snapshot)
                {
                    version = snapshot.Version;
                    if (snapshot.Tensors is not null)
                    {
                        _codebooks = snapshot;
                    }
                }
                else if (!result.Accepted)
                {
                    _codebooks = await link.Join();
                    version = _codebooks.Version;
                }
                _steps.Add(new SimulatedStep(version, started, ms, Stopwatch.GetTimestamp(), result.Accepted));
            }
            await link.Leave();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _error = e.Message;
            logger.LogError(e, "Simulated task {Task} failed", spec.Task);
        }
        finally
        {
            _done = true;
        }
    }
}
