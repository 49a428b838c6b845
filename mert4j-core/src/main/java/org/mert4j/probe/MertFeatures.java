package org.mert4j.probe;

import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/**
 * MERT hidden states 0..L: time-mean per window, or every frame for beat tracking, computed by the embedding
 * protocol every front-end shares ({@link org.mert4j.model.FileEmbedder}, through {@link MertModel#embed}).
 * The fingerprint names the weights ({@link org.mert4j.model.ModelFingerprint}).
 */
public final class MertFeatures implements FeatureExtractor {
    private static final EmbedOptions WHOLE = new EmbedOptions(0, EmbedOptions.Pool.MEAN, null, 1);
    private final MertModel model;
    private final String name;
    private final String fingerprint;

    public MertFeatures(MertModel model, String name, String fingerprint) {
        this.model = model;
        this.name = name;
        this.fingerprint = fingerprint;
    }

    public MertModel model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int layers() {
        return model.config().numHiddenStates();
    }

    @Override
    public int dim() {
        return model.config().transformer().hiddenSize();
    }

    @Override
    public FloatArray pooled(float[] mono, int sampleRate) {
        return model.embed(mono, sampleRate, WHOLE);
    }

    @Override
    public FloatArray frames(float[] mono, int sampleRate) {
        return model.hiddenStates(mono, sampleRate);
    }

    @Override
    public double frameRate() {
        return (double) model.sampleRate() / model.config().totalStride();
    }

    @Override
    public void close() {
        model.close();
    }
}
