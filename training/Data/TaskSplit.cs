namespace Accept.Training.Data;

public enum TaskSplit
{
    Train,
    Validation,
    Test,
}
