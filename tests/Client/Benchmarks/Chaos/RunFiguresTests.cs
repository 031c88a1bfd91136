using Accept.Client.Benchmarks.Chaos;

namespace Accept.Tests.Client.Benchmarks.Chaos;

[Trait("Category", "Fast")]
public sealed class RunFiguresTests
{
    private static readonly DateTime T0 = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);

    private static PushEvent Push(double seconds, string task, long step, long baseVersion, string outcome = "accepted", string code = "None") =>
        new(T0.AddSeconds(seconds), "coordinator", "job/shared", task, step, baseVersion, outcome, code, baseVersion + 1);

    [Fact]
    public void Steps_replayed_after_the_group_went_back_to_a_checkpoint_are_redone_but_not_double_applied()
    {
        // The group is restored at version 2 after accepting a's steps 1-4; a (restored too) replays 3 and 4 on the same versions.
        var pushes = new[]
        {
            Push(0, "a", 1, 0), Push(1, "a", 2, 1), Push(2, "a", 3, 2), Push(3, "a", 4, 3),
            Push(10, "a", 3, 2), Push(11, "a", 4, 3), Push(12, "a", 5, 4),
        };

        var (redone, doubleApplied, monotonic, _) = RunFigures.FromJournal(pushes, T0.AddSeconds(5), lastStep: 10);

        Assert.Equal(2, redone);
        Assert.Equal(0, doubleApplied);
        // The versions a trained against went from 3 back to 2: updates were lost.
        Assert.False(monotonic);
    }

    [Fact]
    public void A_journal_line_parses_into_a_push()
    {
        var line = new LogLine(T0, "coordinator",
            "2026 dbug: Accept.Grains.Diagnostics.PushJournalFilter[0] push-journal group=job-1/shared task=t1 step=21 base=22 outcome=rejected code=Duplicate version=23");

        var push = PushJournal.Parse(line)!;

        Assert.Equal(("job-1/shared", "t1", 21L, 22L, "rejected", "Duplicate", 23L, false),
            (push.Group, push.Task, push.Step, push.BaseVersion, push.Outcome, push.Code, push.Version, push.Accepted));
        Assert.Null(PushJournal.Parse(line with { Text = "info: something else" }));
    }

    [Fact]
    public void Steps_pushed_again_with_another_base_version_are_redone_and_accepted_twice_are_double_applied()
    {
        var pushes = new[]
        {
            Push(0, "a", 1, 0), Push(0, "b", 1, 0),
            Push(1, "a", 2, 1), Push(1, "b", 2, 1),
            // a's silo dies; a restores at step 1 and trains step 2 again (a duplicate) while b goes on.
            Push(2, "b", 3, 2),
            Push(5, "a", 2, 3, "rejected", "Duplicate"),
            Push(6, "a", 3, 3), Push(6, "b", 4, 3),
            // A retry of the same push (same base) is not a re-done step; a second acceptance is double-applied.
            Push(7, "b", 4, 3),
        };

        var (redone, doubleApplied, monotonic, recovery) = RunFigures.FromJournal(pushes, T0.AddSeconds(1.5), lastStep: 10);

        Assert.Equal(1, redone);
        Assert.Equal(1, doubleApplied);
        Assert.True(monotonic);
        // a went from step 2 (t=1) to step 3 (t=6) with nothing new in between.
        Assert.Equal(5.0, recovery!.Value, 6);
    }

    [Fact]
    public void A_codebook_version_going_back_is_not_monotonic_and_a_task_that_never_advances_again_never_recovered()
    {
        var pushes = new[] { Push(0, "a", 1, 5), Push(0, "b", 1, 5), Push(1, "a", 2, 6), Push(3, "a", 3, 2) };

        var (_, _, monotonic, recovery) = RunFigures.FromJournal(pushes, T0.AddSeconds(2), lastStep: 10);

        Assert.False(monotonic);
        // b pushed nothing after the fault.
        Assert.Null(recovery);
    }

    [Fact]
    public void A_journal_line_names_the_sending_silo_and_a_membership_line_parses_into_a_status_change()
    {
        var push = PushJournal.Parse(new LogLine(T0, "coordinator",
            "dbug: PushJournalFilter[0] push-journal group=j/shared task=t1 step=3 base=2 outcome=accepted code=None version=3 from=127.0.0.1:15104@123456"))!;
        var dead = PushJournal.ParseMembership(new LogLine(T0, "coordinator",
            "dbug: PushJournalFilter[0] push-journal-membership silo=127.0.0.1:15104@123456 name=worker-1 status=Dead"))!;

        Assert.Equal("127.0.0.1:15104@123456", push.From);
        Assert.Equal(("127.0.0.1:15104@123456", "worker-1", true), (dead.Silo, dead.Name, dead.Dead));
        Assert.Null(PushJournal.Parse(new LogLine(T0, "coordinator", "push-journal-membership silo=a name=b status=Active")));
    }

    [Fact]
    public void A_push_of_the_stopped_silo_accepted_after_another_silo_declared_it_dead_is_counted()
    {
        const string zombie = "127.0.0.1:15104@1", survivor = "127.0.0.1:15107@1";
        PushEvent From(double seconds, string silo, string outcome = "accepted") => Push(seconds, "a", (long)seconds, 0, outcome) with { From = silo };
        var membership = new[]
        {
            new MembershipEvent(T0.AddSeconds(1), "worker-1", zombie, "worker-1", "Active"),
            // Seen dead by the coordinator 8 s after the stop; the zombie's own line (after its resume) does not count.
            new MembershipEvent(T0.AddSeconds(18), "coordinator", zombie, "worker-1", "Dead"),
            new MembershipEvent(T0.AddSeconds(40), "worker-1", zombie, "worker-1", "Dead"),
        };
        var pushes = new[]
        {
            From(5, zombie), From(12, survivor), From(41, zombie, "rejected"), From(42, zombie), From(43, survivor),
        };

        var (declaredDead, applied) = RunFigures.AfterDeclaredDead(pushes, membership, "worker-1", T0.AddSeconds(10));
        var (never, none) = RunFigures.AfterDeclaredDead(pushes, membership, "worker-2", T0.AddSeconds(10));

        Assert.Equal(8.0, declaredDead!.Value, 6);
        Assert.Equal(1, applied);
        Assert.Equal((null, 0), (never, none));
        // The figures of the live history leave out the zombie's pushes after its death (41 s, 42 s) and keep the rest.
        Assert.Equal([5.0, 12.0, 43.0], PushJournal.FromLiveSilos(pushes, membership).Select(p => (p.Time - T0).TotalSeconds));
    }
}
