package org.mert4j.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.dsp.MelSpectrogram;
import org.mert4j.dsp.MelSpectrogramConfig;

/**
 * The spectrogram input front (docs/model.md, "Spectrogram front"): per spectrogram frame (every {@code hop}
 * samples), the log-mel energies and the log-magnitude CQT (1 bin per semitone by default, from 32.7 Hz), and
 * {@code stack} consecutive frames joined into one encoder frame. Nothing here is trained; the feature
 * projection's LayerNorm and Linear that follow are.
 */
final class SpectrogramInputFront {
    /** Added before the logarithms: keeps silence finite (the mel energies are powers, the CQT magnitudes). */
    static final double MEL_EPSILON = 1e-6;
    static final double CQT_EPSILON = 1e-4;

    private final MertConfig.SpectrogramFront front;
    private final MelSpectrogramConfig melConfig;
    private final CqtConfig cqtConfig; // null without CQT bins
    private final int frameStride;
    // transforms hold their filters on one device; an encoder moved to a GPU gets a second pair there
    private final Map<String, Transforms> byDevice = new ConcurrentHashMap<>();

    private record Transforms(MelSpectrogram mel, Cqt cqt) {}

    SpectrogramInputFront(MertConfig model) {
        this.front = model.spectrogramFront();
        this.frameStride = model.totalStride();
        try {
            this.melConfig = MelSpectrogramConfig.of(model.sampleRate(), MertConfig.SpectrogramFront.N_FFT,
                    front.hop(), front.nMels());
            this.cqtConfig = front.cqtBins() > 0 ? CqtConfig.mert(model.sampleRate(), front.hop(), front.cqtBins()) : null;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("spectrogram front: " + e.getMessage(), e);
        }
    }

    private Transforms transformsOn(String device) {
        // kept past the caller's PointerScope: the filters outlive the forward pass that builds them
        Device d = new Device(device);
        d.retainReference();
        return new Transforms(new MelSpectrogram(melConfig, d), cqtConfig == null ? null : new Cqt(cqtConfig, d));
    }

    /** [B, N] waveforms -> [B, T, stack * (mels + cqt bins)], T = N / (hop * stack) encoder frames. */
    Tensor forward(Tensor wave) {
        long frames = wave.size(1) / frameStride;
        long spectrogramFrames = frames * front.stack();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = wave.to(torch.ScalarType.Float);
            Transforms t = byDevice.computeIfAbsent(x.device().str().getString(), this::transformsOn);
            // both give floor(N / hop) + 1 frames, centred on multiples of hop: keep the first T * stack
            Tensor mel = MelSpectrogram.log(t.mel().forward(x), MEL_EPSILON).narrow(2, 0, spectrogramFrames);
            Tensor joined = mel;
            if (t.cqt() != null) {
                Tensor cqt = t.cqt().forward(x).add(new Scalar(CQT_EPSILON)).log().narrow(2, 0, spectrogramFrames);
                joined = torch.cat(new TensorVector(mel, cqt), 1);
            }
            // [B, D, T * stack] -> [B, T, stack * D], frame-major within each encoder frame
            return joined.transpose(1, 2).contiguous().reshape(wave.size(0), frames, front.outputDim());
        }
    }
}
