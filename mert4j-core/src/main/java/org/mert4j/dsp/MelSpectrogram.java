package org.mert4j.dsp;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/** Mel spectrogram as torchaudio {@code transforms.MelSpectrogram}; holds the filter bank on one device. */
public final class MelSpectrogram {
    private final MelSpectrogramConfig config;
    private final Tensor filters; // [nFft / 2 + 1, nMels]

    public MelSpectrogram(MelSpectrogramConfig config) {
        this(config, new Device("cpu"));
    }

    public MelSpectrogram(MelSpectrogramConfig config, Device device) {
        this.config = config;
        FloatArray fb = MelFilterBank.torchaudio(config.nFft() / 2 + 1, config.fMin(), config.fMax(),
                config.nMels(), config.sampleRate(), config.melScale(), config.slaneyNorm());
        this.filters = Tensors.fromFloats(fb).to(device, torch.ScalarType.Float);
        this.filters.retainReference();
    }

    public MelSpectrogramConfig config() {
        return config;
    }

    /** [B, N] float32 -> [B, nMels, frames] mel energies (|STFT|^power times the filters). */
    public Tensor forward(Tensor wave) {
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            Tensor spec = Spectrogram.power(wave.to(filters.device(), torch.ScalarType.Float), config.nFft(),
                    config.winLength(), config.hopLength(), config.center(), config.padMode(), config.power());
            out = spec.transpose(1, 2).matmul(filters).transpose(1, 2).contiguous();
            out.retainReference();
        }
        return out;
    }

    /** log(mel + epsilon): finite for silence. */
    public Tensor logForward(Tensor wave) {
        return log(forward(wave), config.logEpsilon());
    }

    /** log(x + epsilon). */
    public static Tensor log(Tensor x, double epsilon) {
        return x.add(new Scalar(epsilon)).log();
    }
}
