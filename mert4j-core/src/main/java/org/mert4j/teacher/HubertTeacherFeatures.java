package org.mert4j.teacher;

import org.bytedeco.pytorch.Tensor;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * Hidden states of one layer of a MERT model as teacher features (HuBERT's second iteration): the whole
 * clip in one pass, [T, H] at the encoder's frame rate. Does not own the model.
 */
public final class HubertTeacherFeatures implements TeacherFeatures {
    private final MertModel model;
    private final int layer;
    private final EmbedOptions options;

    public HubertTeacherFeatures(MertModel model, int layer) {
        int states = model.config().numHiddenStates();
        if (layer < 0 || layer >= states) {
            throw new IllegalArgumentException("layer " + layer + " does not exist: the model has hidden states 0.."
                    + (states - 1));
        }
        this.model = model;
        this.layer = layer;
        this.options = new EmbedOptions(0, EmbedOptions.Pool.NONE, new int[] {layer}, 1);
    }

    @Override
    public String name() {
        return "hubert_l" + layer;
    }

    @Override
    public int sampleRate() {
        return model.sampleRate();
    }

    @Override
    public double frameRate() {
        return model.config().frameRate();
    }

    @Override
    public Tensor features(float[] mono) {
        FloatArray h = model.embed(mono, model.sampleRate(), options); // [1, T, H]
        return Tensors.fromFloats(h.data(), h.shape()[1], h.shape()[2]);
    }
}
