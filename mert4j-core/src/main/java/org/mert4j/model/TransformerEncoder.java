package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Dropout;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * Positional convolution plus the stack of transformer layers (docs/model.md, "Positional convolution",
 * "Transformer layers" and "Hidden states"), returning the L+1 hidden states: the input of every layer
 * and the final output. post-LN: x = LayerNorm(x + pos(x)) before the first layer. pre-LN:
 * x = x + pos(x), and the final LayerNorm after the last layer, so only the last hidden state has
 * passed it (as transformers 4.x, which MERT's users ran, reports it).
 */
public final class TransformerEncoder extends Module {
    final PositionalConvEmbedding posConv;
    final LayerNorm layerNorm;
    final List<TransformerLayer> layers;
    // Java peers of registered modules must stay reachable: libtorch calls back into them (train/eval)
    private final Module layerList;
    final boolean preNorm;
    private final double hiddenDropout;
    private final double layerdrop;
    private final List<LayerKernels> ownLinears;

    public TransformerEncoder(MertConfig c) {
        MertConfig.Transformer t = c.transformer();
        this.posConv = register_module("pos_conv_embed", new PositionalConvEmbedding(c));
        this.layerNorm = register_module("layer_norm", new LayerNorm(t.hiddenSize(), t.layerNormEps()));
        Module list = layerList = register_module("layers", new Module());
        TransformerLayer[] built = new TransformerLayer[t.numLayers()];
        for (int i = 0; i < built.length; i++) {
            built[i] = list.register_module(Integer.toString(i), new TransformerLayer(c));
        }
        this.layers = List.of(built);
        this.preNorm = t.preNorm();
        this.hiddenDropout = c.dropout().hidden();
        this.layerdrop = c.dropout().layerdrop();
        this.ownLinears = layers.stream().map(TransformerLayer::ownLinears).toList();
    }

    /** The layers' own Linears, as kernels. */
    List<LayerKernels> ownLinears() {
        return ownLinears;
    }

    /** [B, T, H] projected features -> L+1 hidden states, each [B, T, H]. */
    public List<Tensor> forward(Tensor x) {
        return forward(x, null, ownLinears, is_training());
    }

    /**
     * As {@link #forward(Tensor)}, on a CPU plan's kernels: the positional conv on {@code positional} (null: its
     * own), layer i on {@code layerKernels.get(i)}; dropout and layerdrop only when {@code training}.
     */
    List<Tensor> forward(Tensor x, TimeMajorConvLayer positional, List<LayerKernels> layerKernels, boolean training) {
        if (layerKernels.size() != layers.size()) {
            throw new IllegalArgumentException(layerKernels.size() + " layers' kernels for " + layers.size() + " layers");
        }
        Tensor h = x.add(posConv.forward(x, positional));
        if (!preNorm) {
            h = layerNorm.forward(h);
        }
        h = Dropout.apply(h, hiddenDropout, training);
        List<Tensor> states = new ArrayList<>(layers.size() + 1);
        for (int i = 0; i < layers.size(); i++) {
            states.add(h);
            // drawn from libtorch's generator so that a seeded run skips the same layers again
            boolean skip = training && layerdrop > 0 && torch.rand(1).item_double() < layerdrop;
            if (!skip) {
                h = layers.get(i).forward(h, layerKernels.get(i), training);
            }
        }
        states.add(preNorm ? layerNorm.forward(h) : h);
        return states;
    }
}
