namespace Accept.Training.Prompts;

/// <summary>
/// The shape of one subspace-quantised side (paper §3): the width d is cut into <see cref="K"/> subspaces of
/// width <see cref="T"/> = d / K, each with a codebook of <see cref="R"/> codewords. The codebook is K×R×t; each
/// row of the prompt (SCPP: m rows; SCAP: l rows) has K×R adaptive weights. One record for SCPP (K, r, t) and
/// SCAP (K′, r′, t′), so the three spellings (spec keys sub_dim/codebook_size, layout, codebook) meet here.
/// </summary>
/// <param name="K">Subspaces: d / t.</param>
/// <param name="R">Codewords per subspace (spec: codebook_size).</param>
/// <param name="T">Subspace width (spec: sub_dim).</param>
public readonly record struct SubspaceShape(int K, int R, int T)
{
    /// <summary>The shape on a backbone of width <paramref name="dModel"/>: K = d / t.</summary>
    public static SubspaceShape Of(int dModel, int codebookSize, int subDim) => new(dModel / subDim, codebookSize, subDim);
}
