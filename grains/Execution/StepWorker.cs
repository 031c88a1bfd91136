using System.Threading.Channels;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Execution;

/// <summary>
/// The silo's training-step executor: <see cref="AcceptSiloOptions.Slots"/> dedicated threads
/// take steps from one queue, so libtorch work never runs on (or blocks) the Orleans scheduler and a grain
/// stays responsive while its step runs. A step is synchronous: its TorchSharp dispose scope opens and
/// closes on one thread.
/// </summary>
public sealed class StepWorker : IDisposable
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Thread[] _threads;
    private int _queued;
    private int _running;

    public StepWorker(IOptions<AcceptSiloOptions> options)
    {
        // Validated by the options system (AcceptSiloOptionsValidator) as the silo's services read it.
        var settings = options.Value;
        if (settings.TorchThreads > 0)
        {
            // libtorch's intra-op pool is process-wide: one setting for every step of this silo.
            TorchSharp.torch.set_num_threads(settings.TorchThreads);
        }
        _threads = Enumerable.Range(0, settings.Slots)
            .Select(i => new Thread(Drain) { IsBackground = true, Name = $"accept-step-{i}" })
            .ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Steps waiting for a thread.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Steps running now (at most Slots).</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Runs <paramref name="step"/> on a step thread. Continuations of the returned task run on the thread
    /// pool (or the awaiting grain's scheduler), never on the step thread.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _queued);
        var accepted = _queue.Writer.TryWrite(() =>
        {
            Interlocked.Decrement(ref _queued);
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }
            Interlocked.Increment(ref _running);
            try
            {
                completion.TrySetResult(step());
            }
            catch (Exception e)
            {
                completion.TrySetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        });
        if (!accepted)
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(StepWorker), "The silo's step worker has stopped.");
        }
        return completion.Task;
    }

    /// <summary>Stops taking steps; queued steps still run, then the threads end.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Drain()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var work))
            {
                work();
            }
        }
    }
}
