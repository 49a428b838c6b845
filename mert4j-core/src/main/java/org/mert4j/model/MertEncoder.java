package org.mert4j.model;

import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The MERT encoder (SPEC 1.2) as a libtorch module whose parameter names are the Hugging Face
 * state-dict keys (SPEC 1.3): conv front, feature projection, transformer.
 */
public final class MertEncoder extends Module {
    private final MertConfig config;
    private final ConvFeatureEncoder featureExtractor;
    private final FeatureProjection featureProjection;
    private final TransformerEncoder encoder;
    private final Tensor maskedSpecEmbed;

    public MertEncoder(MertConfig config) {
        this.config = config;
        this.featureExtractor = register_module("feature_extractor", new ConvFeatureEncoder(config));
        this.featureProjection = register_module("feature_projection", new FeatureProjection(config));
        this.encoder = register_module("encoder", new TransformerEncoder(config));
        this.maskedSpecEmbed = config.hasMaskedSpecEmbed()
                ? new Tensor(register_parameter("masked_spec_embed", torch.rand(config.hiddenSize())))
                : null;
    }

    public MertConfig config() {
        return config;
    }

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
    public List<Tensor> forward(Tensor wave) {
        if (wave.dim() != 2) {
            throw new IllegalArgumentException("expected waveforms [batch, samples], got " + wave.dim() + " dims");
        }
        long n = wave.size(1);
        if (config.framesFor(n) < 1) {
            throw new IllegalArgumentException(n + " samples are fewer than the " + config.receptiveField()
                    + " one frame needs");
        }
        Tensor features = featureExtractor.forward(wave);
        return encoder.forward(featureProjection.forward(features));
    }

    /**
     * Int8 for CPU inference (dynamic quantisation: int8 weights, activations quantised per call): the
     * transformer's Linear layers and the conv front after its first layer; the first conv layer, the
     * feature projection and the positional conv stay fp32. Irreversible for inference (later weight
     * changes are not seen); training mode still uses the fp32 weights.
     */
    public void quantizeDynamicInt8() {
        featureExtractor.quantizeDynamicInt8();
        encoder.quantizeDynamicInt8();
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
