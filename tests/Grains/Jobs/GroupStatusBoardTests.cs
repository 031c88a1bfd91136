using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Jobs;

namespace Accept.Tests.Grains.Jobs;

[Trait("Category", "Fast")]
public sealed class GroupStatusBoardTests
{
    private static CodebookStatus Status(string group, long version) =>
        new(group, version, "sync", [], 0, 0, 0, false, 0, 0, new Dictionary<string, long>());

    [Fact]
    public async Task A_group_that_does_not_answer_shows_its_last_known_status_and_one_never_heard_from_is_left_out()
    {
        var answers = new Dictionary<string, Func<Task<CodebookStatus>>>
        {
            ["g"] = () => Task.FromResult(Status("g", 3)),
            ["h"] = () => Task.FromResult(Status("h", 5)),
            ["never"] = () => throw new SiloUnavailableException("silo died"),
        };
        var silent = new List<string>();
        var board = new GroupStatusBoard(group => answers[group](), TimeSpan.FromSeconds(30), (group, _) => silent.Add(group));

        var first = await board.ReadAsync(["g", "h", "never"]);
        answers["g"] = () => Task.FromException<CodebookStatus>(new TimeoutException("no answer"));
        answers["h"] = () => Task.FromResult(Status("h", 6));
        var second = await board.ReadAsync(["g", "h", "never"]);

        Assert.Equal([("g", 3L), ("h", 5L)], first.Select(s => (s.Group, s.Version)));
        Assert.Equal([("g", 3L), ("h", 6L)], second.Select(s => (s.Group, s.Version)));
        Assert.Equal(["never", "g", "never"], silent);
    }

    [Fact]
    public async Task A_group_still_silent_at_the_timeout_counts_as_not_answering()
    {
        var never = new TaskCompletionSource<CodebookStatus>();
        var silent = new List<string>();
        var board = new GroupStatusBoard(_ => never.Task, TimeSpan.FromMilliseconds(20), (group, e) => silent.Add($"{group}: {e.GetType().Name}"));

        Assert.Empty(await board.ReadAsync(["g"]));
        Assert.Equal(["g: TimeoutException"], silent);
    }

    [Fact]
    public async Task Other_errors_are_not_hidden()
    {
        var board = new GroupStatusBoard(_ => throw new InvalidOperationException("not initialised"), TimeSpan.FromSeconds(30), (_, _) => { });

        await Assert.ThrowsAsync<InvalidOperationException>(() => board.ReadAsync(["g"]));
    }
}
