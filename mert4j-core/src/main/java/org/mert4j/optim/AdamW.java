package org.mert4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam with decoupled weight decay, the update of {@code torch.optim.AdamW}:
 * p -= lr*wd*p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
 * Its state is plain named tensors, so a checkpoint stores it as safetensors and a resumed run
 * continues bit for bit. The update runs in libtorch's fused kernel where it can ({@link FusedAdamW}:
 * float parameters on one device), else tensor by tensor.
 */
public final class AdamW {
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvgSq = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;
    private final boolean fused;

    public AdamW(Map<String, Tensor> params, double beta1, double beta2, double eps, double weightDecay) {
        this(params, beta1, beta2, eps, weightDecay, FusedAdamW.available());
    }

    /** {@code fused = false} forces the tensor-by-tensor update (it is also the fallback). */
    public AdamW(Map<String, Tensor> params, double beta1, double beta2, double eps, double weightDecay,
                 boolean fused) {
        this.params = new LinkedHashMap<>(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, Tensor> e : this.params.entrySet()) {
            expAvg.put(e.getKey(), torch.zeros_like(e.getValue()));
            expAvgSq.put(e.getKey(), torch.zeros_like(e.getValue()));
        }
        this.fused = fused && FusedAdamW.available() && fusable(this.params.values());
    }

    /** Whether updates run in the fused kernel. */
    public boolean fused() {
        return fused;
    }

    private static boolean fusable(Iterable<Tensor> params) {
        String device = null;
        for (Tensor p : params) {
            String d = p.device().str().getString();
            if (p.scalar_type().intern() != torch.ScalarType.Float || (device != null && !device.equals(d))) {
                return false;
            }
            device = d;
        }
        return device != null;
    }

    public long stepCount() {
        return step;
    }

    /** One update with learning rate {@code lr}; parameters without a gradient are left alone. */
    public void step(double lr) {
        step++;
        if (fused) {
            fusedStep(lr);
            return;
        }
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor p = e.getValue();
                Tensor g = p.grad();
                if (g == null || g.isNull() || !g.defined()) {
                    continue;
                }
                Tensor m = expAvg.get(e.getKey());
                Tensor v = expAvgSq.get(e.getKey());
                if (weightDecay != 0) {
                    p.mul_(new Scalar(1 - lr * weightDecay));
                }
                m.mul_(new Scalar(beta1)).add_(g, new Scalar(1 - beta1));
                v.mul_(new Scalar(beta2)).addcmul_(g, g, new Scalar(1 - beta2));
                Tensor denom = v.sqrt().div_(new Scalar(bias2Sqrt)).add_(new Scalar(eps));
                p.addcdiv_(m, denom, new Scalar(-lr / bias1));
            }
        }
    }

    private void fusedStep(double lr) {
        List<Tensor> ps = new ArrayList<>();
        List<Tensor> gs = new ArrayList<>();
        List<Tensor> ms = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null || g.isNull() || !g.defined()) {
                continue;
            }
            ps.add(e.getValue());
            gs.add(g);
            ms.add(expAvg.get(e.getKey()));
            vs.add(expAvgSq.get(e.getKey()));
        }
        if (ps.isEmpty()) {
            return;
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            // the kernel reads the step count from a tensor beside the parameters; one serves them all
            Tensor count = torch.full(new long[] {}, new Scalar((double) step),
                    new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(ps.get(0).device())));
            FusedAdamW.step(ps, gs, ms, vs, Collections.nCopies(ps.size(), count), lr, beta1, beta2,
                    weightDecay, eps);
        }
    }

    /** The optimizer state as named tensors ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME}) for a checkpoint. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        expAvg.forEach((k, v) -> out.put("exp_avg." + k, v));
        expAvgSq.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
        return out;
    }

    /** Restores {@link #state()} and the step count; every moment must be present with its shape. */
    public void load(Map<String, Tensor> state, long stepCount) {
        List<String> missing = new ArrayList<>();
        try (NoGradGuard guard = new NoGradGuard()) {
            for (String k : params.keySet()) {
                Tensor m = state.get("exp_avg." + k);
                Tensor v = state.get("exp_avg_sq." + k);
                if (m == null || v == null) {
                    missing.add(k);
                    continue;
                }
                expAvg.get(k).copy_(m);
                expAvgSq.get(k).copy_(v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("optimizer state has no moments for " + missing);
        }
        this.step = stepCount;
    }

    /** Sets every gradient to zero (keeping the buffers). */
    public void zeroGrad() {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : params.values()) {
                Tensor g = p.grad();
                if (g != null && !g.isNull() && g.defined()) {
                    g.zero_();
                }
            }
        }
    }

    /** Multiplies every gradient by {@code factor} (undoing a loss scale). */
    public void scaleGradients(double factor) {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : params.values()) {
                Tensor g = p.grad();
                if (g != null && !g.isNull() && g.defined()) {
                    g.mul_(new Scalar(factor));
                }
            }
        }
    }

    /**
     * Scales gradients so that their global L2 norm is at most {@code maxNorm} (as
     * {@code clip_grad_norm_}); returns the norm before clipping (NaN/Inf when a gradient is not finite).
     */
    public double clipGradNorm(double maxNorm) {
        double sq = 0;
        List<Tensor> grads = new ArrayList<>();
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : params.values()) {
                Tensor g = p.grad();
                if (g != null && !g.isNull() && g.defined()) {
                    grads.add(g);
                    double n = g.norm().item_double();
                    sq += n * n;
                }
            }
            double norm = Math.sqrt(sq);
            if (maxNorm > 0 && Double.isFinite(norm) && norm > maxNorm) {
                double scale = maxNorm / (norm + 1e-6);
                for (Tensor g : grads) {
                    g.mul_(new Scalar(scale));
                }
            }
            return norm;
        }
    }
}
