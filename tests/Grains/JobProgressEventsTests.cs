using System.Collections.Concurrent;
using Accept.GrainInterfaces;
using Accept.GrainInterfaces.Jobs;
using Accept.GrainInterfaces.Tasks;

namespace Accept.Tests.Grains;

/// <summary>Progress flows task → job → observers: a subscriber gets every step's point once and the job's end.</summary>
[Trait("Category", "Cluster")]
[Collection(GrainClusterCollection.Name)]
public sealed class JobProgressEventsTests(GrainClusterFixture fixture)
{
    private const int Steps = 8;

    [Fact]
    public async Task A_subscribed_observer_receives_each_tasks_points_and_final_status_and_the_jobs_end()
    {
        var job = fixture.Client.GetGrain<IJobGrain>($"events-{Guid.NewGuid():N}"[..16]);
        var observer = new Recorder();
        var reference = fixture.Client.CreateObjectReference<IJobObserver>(observer);
        try
        {
            // Subscribing before the job exists: the first events are not missed.
            await job.Subscribe(reference);
            await job.Submit(new JobSubmission(fixture.Run.Spec(steps: Steps, checkpointEvery: 0, evalEvery: 4), "test"));

            var end = await observer.Ended.Task.WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Equal(JobState.Completed, end.State);
            foreach (var task in new[] { "parity", "topic" })
            {
                var events = observer.Events.Where(e => e.Task?.TaskName == task).ToList();
                // Every step once, as recorded by the task (the evaluation steps with their metric). Orleans does not
                // order one-way messages, so two events may arrive swapped; JobWatcher fills a gap from the task and
                // skips points it already has, so the order of arrival does not matter to the client.
                var points = events.SelectMany(e => e.Points).OrderBy(p => p.Step).ToList();
                Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), points.Select(p => p.Step));
                Assert.All(points.Where(p => p.Step % 4 == 0), p => Assert.NotNull(p.Metric));
                Assert.All(points.Where(p => p.Step % 4 != 0), p => Assert.Null(p.Metric));
                var recorded = await fixture.Client.GetGrain<ITaskGrain>(GrainKeys.Task(job.GetPrimaryKeyString(), task)).GetMetrics(0);
                Assert.Equal(recorded, points);
                Assert.Equal(TaskState.Completed, events[^1].Task!.State);
                Assert.Equal(Steps, events[^1].Task!.Step);
            }
            // The job's status is what the tasks reported, without asking them.
            var status = await job.GetStatus();
            Assert.All(status.Tasks, t => Assert.Equal((TaskState.Completed, (long)Steps), (t.State, t.Step)));
        }
        finally
        {
            await job.Unsubscribe(reference);
            fixture.Client.DeleteObjectReference<IJobObserver>(reference);
            GC.KeepAlive(observer);
        }
    }

    private sealed class Recorder : IJobObserver
    {
        public ConcurrentQueue<JobProgress> Events { get; } = new();

        public TaskCompletionSource<JobProgress> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task OnProgress(JobProgress progress)
        {
            Events.Enqueue(progress);
            if (progress.Task is null && progress.State is JobState.Completed or JobState.Cancelled or JobState.Failed)
            {
                Ended.TrySetResult(progress);
            }
            return Task.CompletedTask;
        }
    }
}
