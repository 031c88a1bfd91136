using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Accept.Grains.Hosting;
using Accept.Training.Config;
using Accept.Training.MultiTask;
using Accept.Training.T5;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Execution;

/// <summary>
/// The silo's task sessions, by task grain key: TorchSharp state lives here, off the grain, which holds
/// only the key. Run contexts (tokenizer, layout, every task's data) are shared by the sessions of one
/// run spec on this silo, so eight tasks of a job load the data once. Sessions live on the silo's device.
/// </summary>
public sealed class TaskSessionHost(IOptions<AcceptSiloOptions> options, SiloDevice device) : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<RunContext>> _contexts = new(StringComparer.Ordinal);

    /// <summary>Sessions open on this silo.</summary>
    public int Count => _runtimes.Count;

    /// <summary>Run contexts loaded on this silo.</summary>
    public int Contexts => _contexts.Count(c => c.Value.IsValueCreated);

    /// <summary>The spec's run context, loaded once per silo. Blocking (reads data): call it on the step worker.</summary>
    public RunContext Context(string runSpecJson)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runSpecJson)));
        var lazy = _contexts.GetOrAdd(key, _ => new Lazy<RunContext>(
            () => RunContext.Load(RunSpecReader.Parse(runSpecJson, "run spec"), options.Value.DemoCache), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _contexts.TryRemove(new KeyValuePair<string, Lazy<RunContext>>(key, lazy));
            throw;
        }
    }

    /// <summary>
    /// A new runtime for <paramref name="taskName"/> of the run, its session on the silo's device (where
    /// <paramref name="backbone"/>, from <see cref="BackboneCache"/>, is too). Not registered: see <see cref="Add"/>.
    /// </summary>
    public TaskRuntime Open(RunContext context, string taskName, T5Model backbone) =>
        new(TaskSession.Create(context, taskName, device.Device), backbone);

    /// <summary>
    /// A new runtime for <paramref name="taskName"/> of the spec's run with its backbone from <paramref name="backbone"/>,
    /// restored from a checkpoint's task bytes when given. Blocking: call it on the step worker.
    /// </summary>
    /// <param name="source">Names the checkpoint in the error when its bytes are malformed.</param>
    public TaskRuntime Open(string runSpecJson, string taskName, Func<string, T5Model> backbone, byte[]? checkpoint = null, string source = "")
    {
        var context = Context(runSpecJson);
        var runtime = Open(context, taskName, backbone(context.BackboneDirectory));
        try
        {
            if (checkpoint is not null)
            {
                runtime.Restore(checkpoint, source);
            }
            return runtime;
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
    }

    /// <summary>Registers a runtime under the grain's key, replacing (and disposing) one left from an earlier activation.</summary>
    public void Add(string key, TaskRuntime runtime)
    {
        _runtimes.AddOrUpdate(key, runtime, (_, old) =>
        {
            old.Dispose();
            return runtime;
        });
    }

    public TaskRuntime? Get(string key) => _runtimes.GetValueOrDefault(key);

    /// <summary>Disposes and forgets the key's runtime; call it when no step of it can still be running.</summary>
    public void Remove(string key)
    {
        if (_runtimes.TryRemove(key, out var runtime))
        {
            runtime.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var runtime in _runtimes.Values)
        {
            runtime.Dispose();
        }
        _runtimes.Clear();
    }
}
