using static TorchSharp.torch;

namespace Accept.Training.Prompts;

/// <summary>The ACCEPT composition: token i, subspace k is Σ_j W[i,k,j]·C[k,j,:]; subspaces are then concatenated.</summary>
public static class SubspaceComposition
{
    /// <summary>weights (n, K, r) × codebook (K, r, t) → (n, K·t).</summary>
    public static Tensor Compose(Tensor weights, Tensor codebook)
    {
        if (weights.dim() != 3 || codebook.dim() != 3 || weights.shape[1] != codebook.shape[0] || weights.shape[2] != codebook.shape[1])
            throw new ArgumentException(
                $"Compose: weights [{string.Join(",", weights.shape)}] and codebook [{string.Join(",", codebook.shape)}] must be (n,K,r) and (K,r,t)");
        var composed = einsum("nkr,krt->nkt", weights, codebook); // (n, K, t)
        return composed.reshape(weights.shape[0], codebook.shape[0] * codebook.shape[2]);
    }
}
