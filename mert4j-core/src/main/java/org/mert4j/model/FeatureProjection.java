package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.Linear;
import org.mert4j.nn.LinearKernel;

/**
 * docs/model.md, "Feature projection": LayerNorm over the conv features (joined by the CQT with
 * {@code feature_extractor_cqt}) if {@code feat_proj_layer_norm}, Linear(their width -> H), dropout.
 */
public final class FeatureProjection extends Module {
    final LayerNorm layerNorm;
    final Linear projection;
    private final double dropout;

    public FeatureProjection(MertConfig c) {
        int features = c.projectionInputDim();
        double eps = c.transformer().layerNormEps();
        this.layerNorm = c.featureProjectionLayerNorm()
                ? register_module("layer_norm", new LayerNorm(features, eps)) : null;
        this.projection = register_module("projection", new Linear(features, c.transformer().hiddenSize(), true));
        this.dropout = c.dropout().featureProjection();
    }

    /** [B, T, C] -> [B, T, H] */
    public Tensor forward(Tensor features) {
        return forward(features, projection, is_training());
    }

    /** As {@link #forward(Tensor)}, with the product on {@code kernel} and dropout only when {@code training}. */
    Tensor forward(Tensor features, LinearKernel kernel, boolean training) {
        return Dropout.apply(kernel.forward(normalised(features)), dropout, training);
    }

    /** The conv features after the LayerNorm, if there is one. */
    private Tensor normalised(Tensor features) {
        return layerNorm == null ? features : layerNorm.forward(features);
    }
}
