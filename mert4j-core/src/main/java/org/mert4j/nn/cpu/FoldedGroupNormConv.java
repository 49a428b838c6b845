package org.mert4j.nn.cpu;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.mert4j.nn.Conv1d;
import org.mert4j.nn.GroupNorm;

/**
 * The first conv layer of a conv front for CPU inference: conv (one input channel, kernel k, stride s)
 * -> GroupNorm with one group per channel -> exact GELU, computed as one oneDNN product over the
 * waveform's windows, written time-major.
 *
 * <p>GroupNorm here normalises each channel over time, and each channel is a linear function of the
 * window x: y_c = w_c.x + b_c. Its mean and variance over time therefore follow from the k-dimensional
 * mean mu and covariance S of the windows: mean_c = w_c.mu + b_c, var_c = w_c^T S w_c. Folding
 * scale_c = gamma_c / sqrt(var_c + eps) into the weights gives y'_c = (scale_c w_c).x + beta_c -
 * scale_c w_c.mu, so the norm costs no pass over the [T, C] output, and GELU rides on the product as a
 * oneDNN post-op. The statistics are taken in double precision, so they are at least as accurate as
 * GroupNorm's own fp32 reduction. The channel-major conv, norm, GELU and transpose it replaces read and
 * write the 24,000 x 512 activations of a 5 s window about eight times.
 *
 * <p>The weights are copied in double precision when it is built: later changes to the layer are not seen.
 */
public final class FoldedGroupNormConv implements AutoCloseable {
    private final Owned owned = new Owned();
    private final int kernel;
    private final int stride;
    private final double eps;
    private final Tensor w;
    private final Tensor gamma;
    private final Tensor beta;

    public FoldedGroupNormConv(Conv1d conv, GroupNorm norm) {
        if (!applies(conv, norm)) {
            throw new IllegalArgumentException("GroupNorm folds only into a conv with one input channel, no padding"
                    + " and one group, followed by one norm group per channel");
        }
        if (!OneDnnLinear.available()) {
            throw new IllegalStateException("this libtorch has no oneDNN linear operator");
        }
        this.kernel = conv.kernel;
        this.stride = conv.stride;
        this.eps = norm.eps;
        try (NoGradGuard guard = new NoGradGuard()) {
            this.w = owned.keep(conv.weight.view(conv.outChannels, conv.kernel).to(ScalarType.Double));
            this.gamma = owned.keep(norm.weight.to(ScalarType.Double));
            this.beta = owned.keep(norm.bias.to(ScalarType.Double));
        }
    }

    /** Whether this layer has the shape the folding needs. */
    public static boolean applies(Conv1d conv, GroupNorm norm) {
        return norm != null && conv.inChannels == 1 && conv.groups == 1 && conv.padding == 0
                && norm.groups == norm.channels && norm.channels == conv.outChannels;
    }

    /** [B, N] waveform -> [B, T, C] GELU(GroupNorm(conv(wave))), fp32. */
    public Tensor forward(Tensor wave) {
        long b = wave.size(0);
        long n = wave.size(1);
        long frames = (n - kernel) / stride + 1;
        if (n < kernel) {
            throw new IllegalArgumentException("audio of " + n + " samples is shorter than the first conv kernel ("
                    + kernel + ")");
        }
        Tensor contiguous = wave.contiguous();
        Tensor[] out = new Tensor[(int) b];
        for (int i = 0; i < b; i++) {
            // statistics are per clip, so each clip gets its own folded weights
            Tensor windows = contiguous.select(0, i)
                    .as_strided(new long[] {frames, kernel}, new long[] {stride, 1}).contiguous();
            Tensor x = windows.to(ScalarType.Double);
            Tensor mu = x.mean(new long[] {0});
            Tensor centred = x.sub(mu);
            Tensor covariance = centred.t().matmul(centred).div(new Scalar((double) frames));
            Tensor variance = w.matmul(covariance).mul(w).sum(new long[] {1});
            Tensor scale = gamma.div(variance.add(new Scalar(eps)).sqrt());
            Tensor foldedWeight = w.mul(scale.unsqueeze(1)).to(ScalarType.Float);
            // beta + scale * (w.x + b - (w.mu + b)): the conv bias cancels
            Tensor foldedBias = beta.sub(w.matmul(mu).mul(scale)).to(ScalarType.Float);
            out[i] = OneDnnLinear.applyGelu(windows, foldedWeight, foldedBias);
        }
        return b == 1 ? out[0].unsqueeze(0) : torch.stack(new TensorVector(out));
    }

    @Override
    public void close() {
        owned.close();
    }
}
