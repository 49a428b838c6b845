package org.mert4j.dsp;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/** Chromagram as librosa {@code feature.chroma_stft(norm=inf)}; holds the filter bank on one device. */
public final class Chroma {
    /** librosa normalises only frames whose maximum exceeds the smallest normal float32. */
    private static final double THRESHOLD = Float.MIN_NORMAL;

    private final ChromaConfig config;
    private final Tensor filters; // [nChroma, nFft / 2 + 1]

    public Chroma(ChromaConfig config) {
        this(config, new Device("cpu"));
    }

    public Chroma(ChromaConfig config, Device device) {
        this.config = config;
        FloatArray fb = ChromaFilterBank.librosa(config.sampleRate(), config.nFft(), config.nChroma(),
                config.tuning());
        this.filters = Tensors.fromFloats(fb).to(device, torch.ScalarType.Float);
        this.filters.retainReference();
    }

    public ChromaConfig config() {
        return config;
    }

    /** [B, N] float32 -> [B, nChroma, floor(N / hop) + 1], each frame scaled to a maximum of 1 (silence: 0). */
    public Tensor forward(Tensor wave) {
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            Tensor spec = Spectrogram.power(wave.to(filters.device(), torch.ScalarType.Float), config.nFft(),
                    config.nFft(), config.hopLength(), true, PadMode.CONSTANT, 2.0);
            Tensor raw = filters.matmul(spec); // [B, nChroma, T]
            Tensor peak = raw.abs().amax(new long[] {1}, true);
            Tensor tooSmall = peak.lt(new Scalar(THRESHOLD));
            Tensor divisor = torch.where(tooSmall, torch.ones_like(peak), peak);
            out = raw.div(divisor).contiguous();
            out.retainReference();
        }
        return out;
    }
}
