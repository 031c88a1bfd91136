namespace Accept.Training.MultiTask;

/// <summary>What a trainer tells its caller while it runs (the CLI draws live progress from it). Called on the training thread.</summary>
public interface ITrainingProgress
{
    void TaskStepped(TaskProgress progress);
    void Evaluated(EvalResult result);
    void Checkpointed(long step, string folder);
}
