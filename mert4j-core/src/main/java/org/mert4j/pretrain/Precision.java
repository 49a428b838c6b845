package org.mert4j.pretrain;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.model.ConfigException;

/**
 * Mixed precision (docs/pretraining.md, "Optimisation"): {@code fp32}, {@code bf16} (autocast to
 * bfloat16, weights and optimizer stay fp32; on GPU, and on CPUs with bf16 kernels) or {@code fp16}
 * (autocast to float16 with a dynamic loss scale, CUDA only). {@link #enter()} turns autocast on for one forward pass.
 */
public final class Precision {
    private final PrecisionMode mode;
    private final torch.DeviceType deviceType;
    private double lossScale;
    private int goodSteps;

    /** Loss-scale growth after this many overflow-free fp16 updates, as torch.cuda.amp.GradScaler. */
    static final int GROWTH_INTERVAL = 2000;

    public Precision(PrecisionMode mode, Device device) {
        this.mode = mode;
        this.deviceType = device.is_cuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        if (mode == PrecisionMode.FP16 && !device.is_cuda()) {
            throw new ConfigException("optim.precision = fp16 needs a CUDA device; use bf16 or fp32 on CPU");
        }
        this.lossScale = mode == PrecisionMode.FP16 ? 65536.0 : 1.0;
    }

    public boolean isMixed() {
        return mode != PrecisionMode.FP32;
    }

    /** The factor the loss is multiplied by before backward (1 except for fp16). */
    public double lossScale() {
        return lossScale;
    }

    /** Autocast on until the returned guard closes. */
    public AutoCloseable enter() {
        if (!isMixed()) {
            return () -> { };
        }
        torch.set_autocast_dtype(deviceType, mode == PrecisionMode.BF16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Half);
        torch.set_autocast_enabled(deviceType, true);
        return () -> {
            torch.set_autocast_enabled(deviceType, false);
            torch.clear_cache();
        };
    }

    /**
     * After backward: whether the (scaled) gradients were finite. fp16 halves the scale on overflow
     * and doubles it after {@link #GROWTH_INTERVAL} good updates.
     */
    public void update(boolean finite) {
        if (mode != PrecisionMode.FP16) {
            return;
        }
        if (!finite) {
            lossScale /= 2;
            goodSteps = 0;
        } else if (++goodSteps >= GROWTH_INTERVAL) {
            lossScale *= 2;
            goodSteps = 0;
        }
    }

    public void setLossScale(double scale) {
        this.lossScale = scale;
    }
}
