namespace Accept.Training.Optim;

/// <summary>
/// Linear warm-up then linear decay to zero, as Hugging Face's get_linear_schedule_with_warmup:
/// the update with 0-based index s uses lr·s/warmup during warm-up, then lr·(total−s)/(total−warmup).
/// </summary>
public sealed record LinearSchedule(double BaseLearningRate, long WarmupSteps, long TotalSteps)
{
    public double At(long step)
    {
        if (step < WarmupSteps) return BaseLearningRate * step / Math.Max(1, WarmupSteps);
        return BaseLearningRate * Math.Max(0.0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
