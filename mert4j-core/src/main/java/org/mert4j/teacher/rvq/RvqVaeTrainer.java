package org.mert4j.teacher.rvq;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Context;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/**
 * Trains an {@link RvqVae} with AdamW on random crops: loss = L1(waveform) [+ multi-scale STFT magnitude
 * L1, linear and log] + commitment * sum_k |r_k - sg(q_k)|^2, gradients through the quantiser by the
 * straight-through estimator; codebooks follow exponential moving averages of their assigned residuals
 * (initialised from the first batch, dead codes restarted on batch residuals).
 */
public final class RvqVaeTrainer {
    private static final long[] STFT_SIZES = {512, 256, 128};

    private final RvqVae model;
    private final RvqTrainOptions options;
    private final AdamW optimizer;
    private int skippedSteps;
    private final Random rng;
    private int step;

    public RvqVaeTrainer(RvqVae model, RvqTrainOptions options) {
        this.model = model;
        this.options = options;
        this.rng = new Random(options.seed());
        torch.manual_seed(options.seed());
        AdamWOptions o = new AdamWOptions(options.lr());
        o.weight_decay().put(options.weightDecay());
        this.optimizer = new AdamW(model.parameterVector(), o);
    }

    /** Crop length in samples: the requested segment rounded down to whole hops (at least one hop). */
    public int cropSamples() {
        int hop = model.config().hopLength();
        return Math.max(hop, options.segmentSamples() / hop * hop);
    }

    /** Runs {@code options.steps()} steps on random crops of {@code clips} (mono at the model's rate). */
    public RvqStepStats train(List<float[]> clips, Consumer<RvqStepStats> onStep) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no training audio: expected at least one clip");
        }
        RvqStepStats last = null;
        for (int i = 0; i < options.steps(); i++) {
            last = step(randomCrops(clips, options.batch(), cropSamples(), rng));
            if (onStep != null) {
                onStep.accept(last);
            }
        }
        return last;
    }

    /** One optimisation step on a batch [B, N] of audio (N a multiple of the hop). */
    public RvqStepStats step(float[][] batch) {
        // oneDNN's CPU convolution backward leaves parts of the input gradient unwritten (stride 1, kernel > 1),
        // so gradients were NaN whenever the reused memory held NaN (at random steps, after other native work):
        // libtorch's own CPU convolutions run instead while a step trains (this setting is process-wide)
        if (!model.device().is_cpu()) {
            return trainStep(batch);
        }
        Context context = torch.globalContext();
        boolean mkldnn = context.userEnabledMkldnn();
        context.setUserEnabledMkldnn(false);
        try {
            return trainStep(batch);
        } finally {
            context.setUserEnabledMkldnn(mkldnn);
        }
    }

    private RvqStepStats trainStep(float[][] batch) {
        int n = batch[0].length;
        if (n % model.config().hopLength() != 0) {
            throw new IllegalArgumentException("crop length " + n + " is not a multiple of the hop " + model.config().hopLength());
        }
        float[] flat = new float[batch.length * n];
        for (int b = 0; b < batch.length; b++) {
            System.arraycopy(batch[b], 0, flat, b * n, n);
        }
        model.train(true);
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Tensors.fromFloats(flat, batch.length, 1, n).to(model.device(), torch.ScalarType.Float);
            Tensor latent = model.encodeLatent(x); // [B, D, T]
            long b = latent.size(0);
            long d = latent.size(1);
            long t = latent.size(2);
            Tensor z = latent.permute(0, 2, 1).reshape(b * t, d);
            if (model.initialised.item_float() == 0f) {
                initialiseCodebooks(z.detach());
            }
            Tensor residual = z;
            Tensor quantized = torch.zeros_like(z);
            Tensor commit = torch.zeros(new long[] {}, z.options());
            int k = model.config().numCodebooks();
            double[] perplexity = new double[k];
            for (int level = 0; level < k; level++) {
                Tensor embed = model.embed.get(level);
                Tensor r = residual.detach();
                Tensor idx = ResidualVq.nearest(r, embed);
                Tensor q = torch.embedding(embed, idx);
                commit = commit.add(torch.mse_loss(residual, q.detach(), 1));
                perplexity[level] = perplexity(idx);
                updateCodebook(level, r, idx);
                quantized = quantized.add(q);
                residual = residual.sub(q.detach());
            }
            // straight-through: forward uses the quantised latent, backward passes gradients to z
            Tensor st = z.add(quantized.sub(z).detach()).reshape(b, t, d).permute(0, 2, 1);
            Tensor y = model.decode(st);
            Tensor wave = torch.l1_loss(y, x, 1);
            Tensor stft = options.stftLoss() ? stftLoss(y.squeeze(1), x.squeeze(1)) : torch.zeros(new long[] {}, z.options());
            Tensor loss = wave.add(stft).add(commit.mul(new Scalar(model.config().commitment())));
            optimizer.zero_grad();
            loss.backward();
            // a non-finite gradient would turn every weight into NaN through Adam's moments: that update is
            // left out and counted, as the pretraining trainer does
            if (gradientsFinite()) {
                try {
                    optimizer.step();
                } catch (RuntimeException e) { // AdamW's step size lr / (1 - beta1^t) may not fit a float (lr 1e38)
                    throw new NonFiniteWeightsException("training diverged at step " + (step + 1) + ": the AdamW"
                            + " update with learning rate " + options.lr() + " cannot be computed ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            } else {
                skippedSteps++;
                optimizer.zero_grad();
            }
            step++;
            // a codebook's moving average or an update can still overflow (seen with --lr 1e30): stop there, so
            // that no later save writes NaN codebooks (which encode everything as code 0)
            List<String> bad = model.nonFinite();
            if (!bad.isEmpty()) {
                throw new NonFiniteWeightsException("training diverged at step " + step + ": "
                        + NonFiniteWeightsException.names(bad) + " hold NaN or infinite values (learning rate "
                        + options.lr() + "; " + skippedSteps + " earlier update(s) left out for non-finite gradients)");
            }
            return new RvqStepStats(step, loss.item_double(), wave.item_double(), stft.item_double(),
                    commit.item_double(), perplexity);
        }
    }

    private boolean gradientsFinite() {
        Tensor sumSq = null;
        for (Tensor p : model.trainable().values()) {
            Tensor g = p.grad();
            if (g != null && g.defined()) {
                Tensor s = g.pow(new Scalar(2.0)).sum();
                sumSq = sumSq == null ? s : sumSq.add(s);
            }
        }
        return sumSq == null || Double.isFinite(sumSq.item_double());
    }

    /** Mean L1 reconstruction error on {@code batch} without training (codes as in inference). */
    public double evaluate(float[][] batch) {
        int n = batch[0].length;
        float[] flat = new float[batch.length * n];
        for (int b = 0; b < batch.length; b++) {
            System.arraycopy(batch[b], 0, flat, b * n, n);
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = Tensors.fromFloats(flat, batch.length, 1, n).to(model.device(), torch.ScalarType.Float);
            Tensor codes = model.encode(x);
            Tensor y = model.decode(ResidualVq.decode(codes, model.codebooks()));
            return torch.l1_loss(y, x, 1).item_double();
        }
    }

    /** Random crops of {@code samples} each from random clips; shorter clips are zero-padded at the end. */
    public static float[][] randomCrops(List<float[]> clips, int batch, int samples, Random rng) {
        float[][] out = new float[batch][samples];
        for (int b = 0; b < batch; b++) {
            float[] clip = clips.get(rng.nextInt(clips.size()));
            int start = clip.length > samples ? rng.nextInt(clip.length - samples + 1) : 0;
            System.arraycopy(clip, start, out[b], 0, Math.min(samples, clip.length - start));
        }
        return out;
    }

    private void initialiseCodebooks(Tensor z) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor residual = z;
            int c = model.config().codebookSize();
            for (int level = 0; level < model.config().numCodebooks(); level++) {
                // random batch residuals plus a little noise, so that every code starts where data is
                Tensor pick = torch.randint(residual.size(0), new long[] {c}, new org.bytedeco.pytorch.TensorOptions()
                        .dtype(new org.bytedeco.pytorch.ScalarTypeOptional(torch.ScalarType.Long)).device(
                                new org.bytedeco.pytorch.DeviceOptional(model.device())));
                Tensor init = residual.index_select(0, pick);
                Tensor noise = torch.randn_like(init).mul(residual.std().mul(new Scalar(0.1)));
                init = init.add(noise);
                model.embed.get(level).copy_(init);
                model.embedAvg.get(level).copy_(init);
                model.clusterSize.get(level).fill_(new Scalar(1.0));
                residual = residual.sub(torch.embedding(init, ResidualVq.nearest(residual, init)));
            }
            model.initialised.fill_(new Scalar(1.0));
        }
    }

    private void updateCodebook(int level, Tensor r, Tensor idx) {
        try (NoGradGuard g = new NoGradGuard()) {
            double decay = model.config().emaDecay();
            int c = model.config().codebookSize();
            Tensor counts = torch.bincount(idx, new TensorOptional(), c).to(torch.ScalarType.Float);
            Tensor sums = torch.zeros_like(model.embedAvg.get(level)).index_add_(0, idx, r);
            Tensor size = model.clusterSize.get(level);
            Tensor avg = model.embedAvg.get(level);
            size.mul_(new Scalar(decay)).add_(counts.mul(new Scalar(1 - decay)));
            avg.mul_(new Scalar(decay)).add_(sums.mul(new Scalar(1 - decay)));
            // Laplace smoothing keeps unused codes finite
            double eps = 1e-5;
            Tensor total = size.sum();
            Tensor smoothed = size.add(new Scalar(eps)).div(total.add(new Scalar(c * eps))).mul(total);
            model.embed.get(level).copy_(avg.div(smoothed.unsqueeze(1)));
            if (options.deadCodeFloor() > 0) {
                Tensor dead = size.lt(new Scalar(options.deadCodeFloor())).nonzero().squeeze(1);
                long nDead = dead.size(0);
                if (nDead > 0) {
                    Tensor pick = torch.randint(r.size(0), new long[] {nDead}, new org.bytedeco.pytorch.TensorOptions()
                            .dtype(new org.bytedeco.pytorch.ScalarTypeOptional(torch.ScalarType.Long)).device(
                                    new org.bytedeco.pytorch.DeviceOptional(model.device())));
                    Tensor fresh = r.index_select(0, pick);
                    model.embed.get(level).index_copy_(0, dead, fresh);
                    avg.index_copy_(0, dead, fresh);
                    size.index_fill_(0, dead, new Scalar(1.0));
                }
            }
        }
    }

    private static double perplexity(Tensor idx) {
        Tensor counts = torch.bincount(idx).to(torch.ScalarType.Double);
        Tensor p = counts.div(counts.sum());
        Tensor nz = p.index_select(0, p.gt(new Scalar(0)).nonzero().squeeze(1));
        return Math.exp(-nz.mul(nz.log()).sum().item_double());
    }

    private Tensor stftLoss(Tensor y, Tensor x) {
        Tensor total = torch.zeros(new long[] {}, y.options());
        for (long size : STFT_SIZES) {
            Tensor window = torch.hann_window(size).to(y.device(), torch.ScalarType.Float);
            Tensor my = magnitude(y, size, window);
            Tensor mx = magnitude(x, size, window);
            Tensor lin = torch.l1_loss(my, mx, 1);
            Tensor log = torch.l1_loss(my.add(new Scalar(1e-5)).log(), mx.add(new Scalar(1e-5)).log(), 1);
            total = total.add(lin).add(log);
        }
        return total.div(new Scalar(STFT_SIZES.length));
    }

    /** |STFT|, kept differentiable where a bin is exactly zero (the gradient of abs() at 0 is NaN). */
    private static Tensor magnitude(Tensor wave, long size, Tensor window) {
        Tensor spec = torch.view_as_real(torch.stft(wave, size, new LongOptional(size / 4), new LongOptional(size),
                new TensorOptional(window), true, "reflect", false, new BoolOptional(true), new BoolOptional(true),
                new BoolOptional()));
        return spec.pow(new Scalar(2.0)).sum(new long[] {-1}).add(new Scalar(1e-12)).sqrt();
    }

    /** Updates left out because a gradient was not finite. */
    public int skippedSteps() {
        return skippedSteps;
    }

    public int stepsDone() {
        return step;
    }
}
