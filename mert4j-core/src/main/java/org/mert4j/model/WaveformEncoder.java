package org.mert4j.model;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/**
 * Waveforms to hidden states: what {@link Embedder} runs. The plain {@link MertEncoder}, or the CPU
 * inference plan {@link CpuEncoder} built from it.
 */
public interface WaveformEncoder {
    MertConfig config();

    /**
     * [B, N] waveforms (mono, at the model's rate, normalised if its preprocessor says so) -> the L+1
     * hidden states, each [B, T, H].
     */
    List<Tensor> forward(Tensor wave);
}
