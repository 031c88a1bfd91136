using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Tasks;

namespace Accept.Grains.Jobs;

/// <summary>
/// The codebook groups' statuses a job shows: each group is asked, and one that does not answer within the
/// timeout (its silo died and it has not come back from its checkpoint yet, <see cref="TransientCalls.IsTransient"/>)
/// shows its last known status; a group never heard from is left out. Plain: the job grain hands it the call.
/// </summary>
/// <param name="ask">A group's status call.</param>
/// <param name="silent">Told each group that did not answer and why.</param>
public sealed class GroupStatusBoard(Func<string, Task<CodebookStatus>> ask, TimeSpan timeout, Action<string, Exception> silent)
{
    private readonly Dictionary<string, CodebookStatus> _known = new(StringComparer.Ordinal);

    /// <summary>The groups' statuses, in the given order, fresh where they answered.</summary>
    public async Task<List<CodebookStatus>> ReadAsync(IEnumerable<string> groups)
    {
        var statuses = new List<CodebookStatus>();
        foreach (var group in groups)
        {
            try
            {
                _known[group] = await ask(group).WaitAsync(timeout);
            }
            catch (Exception e) when (TransientCalls.IsTransient(e))
            {
                silent(group, e);
            }
            if (_known.TryGetValue(group, out var known))
            {
                statuses.Add(known);
            }
        }
        return statuses;
    }
}
