package org.mert4j.teacher.rvq;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/** Residual vector quantisation as pure functions on tensors (EnCodec's and the RVQ-VAE's). */
public final class ResidualVq {
    private ResidualVq() {}

    /**
     * Index of the nearest codebook row for each row of {@code x} [N, D] among {@code embed} [C, D],
     * by Euclidean distance; computed as EnCodec does, -(|x|^2 - 2 x.e + |e|^2) and its first maximum,
     * so that near-ties resolve the same way.
     */
    public static Tensor nearest(Tensor x, Tensor embed) {
        Tensor et = embed.t();
        Tensor xx = x.pow(new Scalar(2)).sum(new long[] {1}, true, new ScalarTypeOptional());
        Tensor ee = et.pow(new Scalar(2)).sum(new long[] {0}, true, new ScalarTypeOptional());
        Tensor dist = xx.sub(x.matmul(et).mul(new Scalar(2))).add(ee).neg();
        return torch.max(dist, -1, false).get1();
    }

    /**
     * Codes of a latent sequence {@code latent} [B, D, T] with the codebooks in order: each level quantises
     * what the previous levels left. Returns int64 [B, K, T].
     */
    public static Tensor encode(Tensor latent, List<Tensor> codebooks) {
        long b = latent.size(0);
        long d = latent.size(1);
        long t = latent.size(2);
        Tensor residual = latent.permute(0, 2, 1).reshape(b * t, d);
        TensorVector levels = new TensorVector();
        for (Tensor embed : codebooks) {
            if (embed.dim() != 2 || embed.size(1) != d) {
                throw new IllegalArgumentException("codebook of shape " + Tensors.shapeString(embed)
                        + " does not match latent dimension " + d);
            }
            Tensor idx = nearest(residual, embed);
            residual = residual.sub(torch.embedding(embed, idx));
            levels.push_back(idx.reshape(b, t));
        }
        return torch.stack(levels, 1);
    }

    /** Sum of the selected codebook rows: codes [B, K, T] -> quantised latent [B, D, T]. */
    public static Tensor decode(Tensor codes, List<Tensor> codebooks) {
        Tensor sum = null;
        for (int k = 0; k < codebooks.size(); k++) {
            Tensor q = torch.embedding(codebooks.get(k), codes.select(1, k)); // [B, T, D]
            sum = sum == null ? q : sum.add(q);
        }
        return sum.permute(0, 2, 1);
    }
}
