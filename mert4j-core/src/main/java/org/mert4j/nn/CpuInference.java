package org.mert4j.nn;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The calls the CPU inference paths ({@link OneDnnLinear}, {@link OneDnnConv}, the time-major conv
 * front) serve: a module in eval mode, no gradient recording (those operators have no autograd
 * formula), input and weight in fp32 on the CPU.
 */
public final class CpuInference {
    private CpuInference() {}

    public static boolean fp32(Module module, Tensor x, Tensor weight) {
        return !module.is_training() && !GradMode.is_enabled() && !x.is_cuda() && !weight.is_cuda()
                && x.scalar_type().intern() == ScalarType.Float && weight.scalar_type().intern() == ScalarType.Float;
    }
}
