using Accept.Training.Prompts;

namespace Accept.Training.Config;

/// <summary>The added side: SCAP (sub_dim t′, codebook_size r′), DePT (rank R, alpha α), or none.</summary>
public sealed record AddedSpec(AddedKind Kind = AddedKind.Dept, int SubDim = 32, int CodebookSize = 4, int Rank = 30, double Alpha = 8);
