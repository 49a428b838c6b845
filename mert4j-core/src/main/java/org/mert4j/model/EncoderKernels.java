package org.mert4j.model;

import java.util.List;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.LinearKernel;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * What {@link MertEncoder}'s one forward structure runs on: its own modules (training, GPUs), or the kernels of
 * the CPU inference plan ({@link CpuEncoder}).
 *
 * @param front [B, N] waveforms -> [B, T, C] frames of the input front
 * @param projection the feature projection's product
 * @param positional the positional conv and its activation over time-major frames; null: the module's own
 * @param layers each transformer layer's Linear maps, in order
 */
record EncoderKernels(UnaryOperator<Tensor> front, LinearKernel projection, TimeMajorConvLayer positional,
        List<LayerKernels> layers) {
}
