package org.mert4j.model;

import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.GradientScale;
import org.mert4j.tensor.Tensors;

/**
 * The MERT encoder (docs/model.md) as a libtorch module whose parameter names are the Hugging Face
 * state-dict keys (docs/model.md, "Checkpoints"): conv front, feature projection, transformer. The plain
 * form, used for training and on GPUs. CPU inference runs the same forward structure on the kernels of
 * {@link CpuEncoder}.
 */
public final class MertEncoder extends Module implements WaveformEncoder {
    private final MertConfig config;
    private final ConvFeatureEncoder featureExtractor;
    private final FeatureProjection featureProjection;
    private final TransformerEncoder encoder;
    private final Tensor maskedSpecEmbed;
    private final CqtInputFront cqtInput; // null unless feature_extractor_cqt
    private final SpectrogramInputFront spectrogramInput; // null unless feature_extractor_type is spectrogram
    private final EncoderKernels ownModules;

    public MertEncoder(MertConfig config) {
        this.config = config;
        // the spectrogram front replaces the conv front: no conv weights are created or expected
        this.spectrogramInput = config.hasSpectrogramFront() ? new SpectrogramInputFront(config) : null;
        this.featureExtractor = spectrogramInput != null ? null
                : register_module("feature_extractor", new ConvFeatureEncoder(config));
        this.cqtInput = config.hasCqtInput() ? new CqtInputFront(config) : null;
        this.featureProjection = register_module("feature_projection", new FeatureProjection(config));
        this.encoder = register_module("encoder", new TransformerEncoder(config));
        this.maskedSpecEmbed = config.hasMaskedSpecEmbed()
                ? new Tensor(register_parameter("masked_spec_embed", torch.rand(config.transformer().hiddenSize())))
                : null;
        this.ownModules = new EncoderKernels(this::frontFeatures, featureProjection.projection, null,
                encoder.ownLinears());
    }

    @Override
    public MertConfig config() {
        return config;
    }

    /** The conv front; null when the spectrogram front replaces it. */
    public ConvFeatureEncoder featureExtractor() {
        return featureExtractor;
    }

    public FeatureProjection featureProjection() {
        return featureProjection;
    }

    public TransformerEncoder transformer() {
        return encoder;
    }

    /** The learned embedding that replaces masked frames in pretraining; null if the config has none. */
    public Tensor maskedSpecEmbed() {
        return maskedSpecEmbed;
    }

    /**
     * [B, N] waveforms (already mono, resampled and normalised) -> L+1 hidden states [B, T, H].
     * N must give at least one frame (config.framesFor(N) > 0).
     */
    @Override
    public List<Tensor> forward(Tensor wave) {
        return forward(wave, ownModules, is_training());
    }

    /**
     * As {@link #forward(Tensor)}, on {@code kernels} (the CPU plan's); dropout and layerdrop only when
     * {@code training}.
     */
    List<Tensor> forward(Tensor wave, EncoderKernels kernels, boolean training) {
        checkWaveforms(config, wave);
        Tensor x = featureProjection.forward(withCqt(wave, kernels.front().apply(wave)), kernels.projection(), training);
        return encoder.forward(x, kernels.positional(), kernels.layers(), training);
    }

    /** [B, N] waveforms -> [B, T, C] frames of the input front (conv or spectrogram). */
    Tensor frontFeatures(Tensor wave) {
        return spectrogramInput != null ? spectrogramInput.forward(wave) : featureExtractor.forward(wave);
    }

    /** The feature projection's input: the conv features, joined by the waveform's CQT if the config says so. */
    private Tensor withCqt(Tensor wave, Tensor convFeatures) {
        return cqtInput == null ? convFeatures : cqtInput.appendTo(wave, convFeatures);
    }

    /** Refuses input that is not [B, N] or too short for one frame, before a native call would crash on it. */
    static void checkWaveforms(MertConfig config, Tensor wave) {
        if (wave.dim() != 2) {
            throw new IllegalArgumentException("expected waveforms [batch, samples], got " + wave.dim() + " dims");
        }
        long n = wave.size(1);
        if (config.framesFor(n) < 1) {
            throw new IllegalArgumentException(n + " samples are fewer than the " + config.receptiveField()
                    + " one frame needs");
        }
    }

    /**
     * The conv features and hidden states of a masked forward pass (pretraining).
     * @param convFeatures [B, T, C] conv front output, with its gradient already scaled
     * @param hiddenStates L+1 tensors [B, T, H], as {@link #forward(Tensor)} returns them
     */
    public record MaskedOutput(Tensor convFeatures, List<Tensor> hiddenStates) {
        public Tensor last() {
            return hiddenStates.get(hiddenStates.size() - 1);
        }
    }

    /**
     * Pretraining forward pass (docs/model.md, "Masking"): conv front, its gradient multiplied by
     * {@code convGradScale} (fairseq's feature_grad_mult), feature projection, frames where {@code mask}
     * [B, T] (bool) is true replaced by {@code masked_spec_embed}, then the transformer.
     */
    public MaskedOutput forward(Tensor wave, Tensor mask, double convGradScale) {
        return forward(wave, mask, convGradScale, 1.0);
    }

    /**
     * As {@link #forward(Tensor, Tensor, double)}, with the feature projection's gradient multiplied by
     * {@code projectionGradScale}: 0 keeps the projection at its initial weights, so that what the input front
     * carries reaches the transformer however training goes (the CPU recipe's frozen projection).
     */
    public MaskedOutput forward(Tensor wave, Tensor mask, double convGradScale, double projectionGradScale) {
        if (maskedSpecEmbed == null) {
            throw new IllegalStateException("this encoder has no masked_spec_embed (mask_time_prob is 0 in its config)");
        }
        if (wave.dim() != 2 || mask.dim() != 2 || mask.size(0) != wave.size(0)
                || mask.size(1) != config.framesFor(wave.size(1))) {
            throw new IllegalArgumentException("mask " + Tensors.shapeString(mask) + " does not fit waveforms "
                    + Tensors.shapeString(wave) + " (expected [batch, " + config.framesFor(wave.size(-1)) + "])");
        }
        Tensor front = frontFeatures(wave);
        Tensor features = spectrogramInput != null ? front : GradientScale.apply(front, convGradScale);
        Tensor x = GradientScale.apply(featureProjection.forward(withCqt(wave, features)), projectionGradScale);
        x = torch.where(mask.unsqueeze(-1), maskedSpecEmbed.to(x.scalar_type()), x);
        return new MaskedOutput(features, encoder.forward(x));
    }

    /** Total number of parameters (what {@code mert info} reports). */
    public long parameterCount() {
        long n = 0;
        var params = parameters();
        for (long i = 0; i < params.size(); i++) {
            n += params.get(i).numel();
        }
        return n;
    }
}
