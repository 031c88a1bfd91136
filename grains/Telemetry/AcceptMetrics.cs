using System.Diagnostics.Metrics;
using Accept.GrainInterfaces.Codebooks;
using Accept.Grains.Hosting;
using Microsoft.Extensions.Options;
using TagList = System.Diagnostics.TagList;

namespace Accept.Grains.Telemetry;

/// <summary>
/// Every instrument of the meter "Accept.Distributed", in one place. Names follow the OpenTelemetry
/// conventions the Prometheus exporter translates into names promtool accepts: counters gain "_total",
/// the unit "s" becomes "_seconds", and curly-brace units ({step}) add nothing.
/// </summary>
public sealed class AcceptMetrics
{
    public const string MeterName = "Accept.Distributed";

    private readonly Counter<long> _steps;
    private readonly Gauge<double> _loss;
    private readonly Histogram<double> _lossDistribution;
    private readonly Gauge<double> _metric;
    private readonly Gauge<double> _tokensPerSecond;
    private readonly Histogram<double> _stepDuration;
    private readonly Gauge<long> _codebookVersion;
    private readonly Counter<long> _pushes;
    private readonly Histogram<double> _aggregationDuration;
    private readonly Histogram<long> _staleness;
    private readonly Gauge<long> _sweepTrials;
    private readonly Gauge<double> _sweepBest;
    private readonly Counter<long> _sweepDecisions;

    public AcceptMetrics(IMeterFactory meterFactory, IOptions<AcceptSiloOptions> silo)
    {
        var meter = meterFactory.Create(MeterName);
        var declared = silo.Value;
        meter.CreateObservableGauge("accept.silo.slots",
            () => new Measurement<int>(declared.Slots, new KeyValuePair<string, object?>("role", declared.Role), new KeyValuePair<string, object?>("device", declared.Device)),
            "{slot}", "Concurrent training steps this silo declares, tagged with its role and device.");
        _steps = meter.CreateCounter<long>("accept.task.steps", "{step}", "Training steps completed by task grains.");
        _loss = meter.CreateGauge<double>("accept.task.loss", null, "Training loss of a task's latest step.");
        _lossDistribution = meter.CreateHistogram<double>("accept.task.step.loss", null, "Distribution of per-step training losses.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16] });
        _metric = meter.CreateGauge<double>("accept.task.metric", null, "A task's latest evaluation metric (the 'metric' tag names it).");
        _tokensPerSecond = meter.CreateGauge<double>("accept.task.tokens_per_second", null, "Tokens a task processes per second of step time.");
        _stepDuration = meter.CreateHistogram<double>("accept.task.step.duration", "s", "Wall time of one training step on the silo's step worker.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _codebookVersion = meter.CreateGauge<long>("accept.codebook.version", null, "Current version of a codebook group.");
        _pushes = meter.CreateCounter<long>("accept.codebook.pushes", "{push}", "Gradient pushes to codebook grains, by outcome and rejection reason.");
        _aggregationDuration = meter.CreateHistogram<double>("accept.codebook.aggregation.duration", "s", "Time to average gradients and step a codebook group's optimizer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _staleness = meter.CreateHistogram<long>("accept.codebook.staleness", "{version}", "Versions between a push's base version and the group's current version.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 4, 8, 16, 32, 64] });
        _sweepTrials = meter.CreateGauge<long>("accept.sweep.trials", "{trial}", "A sweep's trials in each state (pending, running, paused, completed, stopped, failed, invalid, cancelled).");
        _sweepBest = meter.CreateGauge<double>("accept.sweep.best_objective", null, "A sweep's best trial objective so far (the 'objective' and 'mode' tags name it).");
        _sweepDecisions = meter.CreateCounter<long>("accept.sweep.decisions", "{decision}", "A sweep's scheduler decisions by kind (start, continue, stop, exploit, retry, pause, resume, end, invalid).");
    }

    /// <summary>A sweep's trial counts by state (every state, zeros included) and its best objective.</summary>
    public void RecordSweep(string sweep, IReadOnlyDictionary<string, long> trialsByState, string objective, string mode, double? best)
    {
        foreach (var (state, count) in trialsByState)
        {
            _sweepTrials.Record(count, new TagList { { "sweep", sweep }, { "state", state } });
        }
        if (best is { } value && double.IsFinite(value))
        {
            _sweepBest.Record(value, new TagList { { "sweep", sweep }, { "objective", objective }, { "mode", mode } });
        }
    }

    /// <summary>One decision of a sweep's scheduler.</summary>
    public void RecordSweepDecision(string sweep, string kind) =>
        _sweepDecisions.Add(1, new TagList { { "sweep", sweep }, { "kind", kind } });

    /// <summary>One finished training step of a task.</summary>
    public void RecordStep(string job, string task, double loss, double seconds, double tokensPerSecond)
    {
        var tags = TaskTags(job, task);
        _steps.Add(1, tags);
        _loss.Record(loss, tags);
        _lossDistribution.Record(loss, tags);
        _stepDuration.Record(seconds, tags);
        _tokensPerSecond.Record(tokensPerSecond, tags);
    }

    public void RecordEvaluation(string job, string task, string metricName, double value)
    {
        var tags = TaskTags(job, task);
        tags.Add("metric", metricName);
        _metric.Record(value, tags);
    }

    public void RecordCodebookVersion(string job, string group, long version) =>
        _codebookVersion.Record(version, GroupTags(job, group));

    /// <summary>One push's outcome; <paramref name="staleness"/> is current version minus base version.</summary>
    public void RecordPush(string job, string group, PushRejectCode code, long staleness)
    {
        var tags = GroupTags(job, group);
        tags.Add("outcome", code == PushRejectCode.None ? "accepted" : "rejected");
        tags.Add("reason", code == PushRejectCode.None ? "none" : ReasonTag(code));
        _pushes.Add(1, tags);
        if (staleness >= 0)
        {
            _staleness.Record(staleness, GroupTags(job, group));
        }
    }

    public void RecordAggregation(string job, string group, TimeSpan duration) =>
        _aggregationDuration.Record(duration.TotalSeconds, GroupTags(job, group));

    private static string ReasonTag(PushRejectCode code) => code switch
    {
        PushRejectCode.UnknownTask => "unknown_task",
        PushRejectCode.UnknownTensor => "unknown_tensor",
        PushRejectCode.WrongShape => "wrong_shape",
        PushRejectCode.WrongDType => "wrong_dtype",
        PushRejectCode.NonFinite => "non_finite",
        PushRejectCode.FutureVersion => "future_version",
        PushRejectCode.TooStale => "too_stale",
        PushRejectCode.Closed => "closed",
        PushRejectCode.Duplicate => "duplicate",
        PushRejectCode.Superseded => "superseded",
        _ => "other",
    };

    private static TagList TaskTags(string job, string task) => new() { { "job", job }, { "task", task } };

    private static TagList GroupTags(string job, string group) => new() { { "job", job }, { "group", group } };
}
