package org.mert4j.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;

/**
 * MERT's CQT input front ({@code feature_extractor_cqt}, docs/model.md, "CQT input"): the constant-Q magnitude of
 * the waveform (nnAudio's CQT from 32.7 Hz, 7 octaves, not trained) joined to the conv features frame by frame,
 * so that the feature projection sees [conv features, CQT]. MERT's code takes one CQT frame per sr / 50 samples,
 * which equals the conv stride only at 16 kHz (at 24 kHz its frames would not line up with the conv frames);
 * here the hop is the conv stride, which is MERT's setting wherever MERT's own code runs.
 */
final class CqtInputFront {
    private final CqtConfig config;
    // the kernel bank lives on one device; an encoder moved to a GPU gets a second bank there
    private final Map<String, Cqt> byDevice = new ConcurrentHashMap<>();

    CqtInputFront(MertConfig model) {
        try {
            this.config = CqtConfig.mert(model.sampleRate(), model.totalStride(), model.cqtInputBins());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("feature_extractor_cqt: " + e.getMessage(), e);
        }
    }

    private Cqt bankOn(String device) {
        // kept past the caller's PointerScope: the bank outlives the forward pass that builds it
        Device d = new Device(device);
        d.retainReference();
        return new Cqt(config, d);
    }

    /** [B, N] waveforms and their [B, T, C] conv features -> [B, T, C + bins]. */
    Tensor appendTo(Tensor wave, Tensor convFeatures) {
        Tensor cqt;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Cqt transform = byDevice.computeIfAbsent(wave.device().str().getString(), this::bankOn);
            // floor(N / hop) + 1 CQT frames, never fewer than the conv front's
            cqt = transform.forward(wave).transpose(1, 2).narrow(1, 0, convFeatures.size(1))
                    .to(convFeatures.scalar_type());
        }
        return torch.cat(new TensorVector(convFeatures, cqt), 2);
    }
}
