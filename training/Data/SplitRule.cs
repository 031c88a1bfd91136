namespace Accept.Training.Data;

/// <summary>How a task without a labelled public test set gets its three splits (the paper, after DePT).</summary>
public enum SplitRule
{
    /// <summary>Train, validation and test are all given.</summary>
    AsGiven,

    /// <summary>Small data sets: the validation set becomes half validation, half test; train is kept.</summary>
    HalveValidation,

    /// <summary>Large data sets: 1,000 training examples become validation; the validation set becomes test.</summary>
    HoldOutFromTrain,
}
