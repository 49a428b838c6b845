package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.Linear;

/** SPEC 1.2 step 2: LayerNorm(conv dim) if {@code feat_proj_layer_norm}, Linear(conv dim -> H), dropout. */
public final class FeatureProjection extends Module {
    private final LayerNorm layerNorm;
    private final Linear projection;
    private final double dropout;

    public FeatureProjection(MertConfig c) {
        int features = c.convDim()[c.convDim().length - 1];
        this.layerNorm = c.featProjLayerNorm() ? register_module("layer_norm", new LayerNorm(features, c.layerNormEps())) : null;
        this.projection = register_module("projection", new Linear(features, c.hiddenSize(), true));
        this.dropout = c.featProjDropout();
    }

    /** [B, T, C] -> [B, T, H] */
    public Tensor forward(Tensor features) {
        Tensor x = layerNorm == null ? features : layerNorm.forward(features);
        return Dropout.apply(projection.forward(x), dropout, is_training());
    }
}
