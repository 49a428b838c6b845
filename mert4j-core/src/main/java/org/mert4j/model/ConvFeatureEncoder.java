package org.mert4j.model;

import java.util.List;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Conv1d;
import org.mert4j.nn.GroupNorm;
import org.mert4j.nn.LayerNorm;

/**
 * The conv front (docs/model.md, "Conv front"): strided Conv1d layers (7 in every release) turning the
 * waveform into 512-d frames, each conv followed by a norm and GELU. {@code group} mode: only layer 0
 * has a norm, a GroupNorm with one group per channel; {@code layer} mode: every layer has a LayerNorm
 * over channels. State-dict prefix: {@code feature_extractor.conv_layers.{i}}.
 */
public final class ConvFeatureEncoder extends Module {
    private final List<ConvLayer> layers;
    // Java peers of registered modules must stay reachable: libtorch calls back into them (train/eval)
    private final Module layerList;

    public ConvFeatureEncoder(MertConfig c) {
        Module list = layerList = register_module("conv_layers", new Module());
        MertConfig.ConvFront front = c.convFront();
        ConvLayer[] built = new ConvLayer[front.layers()];
        for (int i = 0; i < built.length; i++) {
            int in = i == 0 ? 1 : front.dims().get(i - 1);
            int out = front.dims().get(i);
            Norm norm = front.norm() == ConvNorm.LAYER ? Norm.LAYER : (i == 0 ? Norm.GROUP : Norm.NONE);
            built[i] = list.register_module(Integer.toString(i), new ConvLayer(in, out, front.kernels().get(i),
                    front.strides().get(i), front.bias(), norm, front.activation()));
        }
        this.layers = List.of(built);
    }

    /** [B, N] waveform -> [B, T, C] features. */
    public Tensor forward(Tensor wave) {
        Tensor x = wave.unsqueeze(1);
        for (ConvLayer layer : layers) {
            x = layer.forward(x);
        }
        return x.transpose(1, 2);
    }

    List<ConvLayer> layers() {
        return layers;
    }

    private enum Norm { NONE, GROUP, LAYER }

    /** conv -> norm -> activation, on [B, C, T]. */
    static final class ConvLayer extends Module {
        final Conv1d conv;
        final GroupNorm groupNorm;
        final LayerNorm layerNorm;
        final Activation act;

        ConvLayer(int in, int out, int kernel, int stride, boolean bias, Norm norm, Activation act) {
            this.conv = register_module("conv", new Conv1d(in, out, kernel, stride, 0, 1, bias));
            // PyTorch's GroupNorm and LayerNorm defaults: eps 1e-5
            this.groupNorm = norm == Norm.GROUP ? register_module("layer_norm", new GroupNorm(out, out, 1e-5)) : null;
            this.layerNorm = norm == Norm.LAYER ? register_module("layer_norm", new LayerNorm(out, 1e-5)) : null;
            this.act = act;
        }

        Tensor forward(Tensor x) {
            Tensor y = conv.forward(x);
            if (groupNorm != null) {
                y = groupNorm.forward(y);
            } else if (layerNorm != null) {
                y = layerNorm.forward(y.transpose(1, 2)).transpose(1, 2);
            }
            return act.apply(y);
        }
    }
}
