namespace Accept.Training.Config;

/// <summary>SCPP: sub-dimension t (K = d/t subspaces) and codebook size r.</summary>
public sealed record ScppSpec(int SubDim = 32, int CodebookSize = 20);
