namespace Accept.Training.Optim;

/// <summary>AdamW hyper-parameters; the paper's code uses eps 1e-6 and no weight decay.</summary>
public sealed record AdamWOptions(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-6, double WeightDecay = 0.0);
