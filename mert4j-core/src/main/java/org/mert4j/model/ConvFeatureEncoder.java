package org.mert4j.model;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Conv1d;
import org.mert4j.nn.GroupNorm;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.Linear;

/**
 * The conv front (SPEC 1.2 step 1): 7 strided Conv1d layers turning the waveform into 512-d frames,
 * each conv followed by a norm and GELU. {@code group} mode: only layer 0 has a norm, a GroupNorm with
 * one group per channel; {@code layer} mode: every layer has a LayerNorm over channels.
 * State-dict prefix: {@code feature_extractor.conv_layers.{i}}.
 */
public final class ConvFeatureEncoder extends Module {
    private final ConvLayer[] layers;
    // Java peers of registered modules must stay reachable: libtorch calls back into them (train/eval)
    private final Module layerList;
    private boolean quantized;

    public ConvFeatureEncoder(MertConfig c) {
        Module list = layerList = register_module("conv_layers", new Module());
        Activation act = Activation.of(c.featExtractActivation());
        layers = new ConvLayer[c.convDim().length];
        for (int i = 0; i < layers.length; i++) {
            int in = i == 0 ? 1 : c.convDim()[i - 1];
            int out = c.convDim()[i];
            Norm norm = c.featExtractNorm().equals("layer") ? Norm.LAYER
                    : (i == 0 ? Norm.GROUP : Norm.NONE);
            layers[i] = list.register_module(Integer.toString(i),
                    new ConvLayer(in, out, c.convKernel()[i], c.convStride()[i], c.convBias(), norm, act));
        }
    }

    /** [B, N] waveform -> [B, T, C] features. */
    public Tensor forward(Tensor wave) {
        boolean int8 = quantized && !is_training() && !GradMode.is_enabled() && !wave.is_cuda();
        int channelMajor = int8 ? 1 : layers.length;
        Tensor x = wave.unsqueeze(1);
        for (int i = 0; i < channelMajor; i++) {
            x = layers[i].forward(x);
        }
        x = x.transpose(1, 2);
        if (channelMajor < layers.length) {
            x = x.contiguous();
            for (int i = channelMajor; i < layers.length; i++) {
                x = layers[i].forwardInt8(x);
            }
        }
        return x;
    }

    /**
     * Int8 for CPU inference in every layer after the first: each strided convolution becomes a matrix
     * product over windows of time-major frames (one row per output frame, kernel x channels wide),
     * run by FBGEMM like the transformer's Linears. The first layer (one input channel, under 1 % of the
     * arithmetic) stays fp32. Training keeps the fp32 convolutions.
     */
    void quantizeDynamicInt8() {
        for (int i = 1; i < layers.length; i++) {
            layers[i].quantizeDynamicInt8();
        }
        quantized = layers.length > 1;
    }

    private enum Norm { NONE, GROUP, LAYER }

    /** conv -> norm -> activation, on [B, C, T]. */
    private static final class ConvLayer extends Module {
        private final Conv1d conv;
        private final GroupNorm groupNorm;
        private final LayerNorm layerNorm;
        private final Activation act;

        ConvLayer(int in, int out, int kernel, int stride, boolean bias, Norm norm, Activation act) {
            this.conv = register_module("conv", new Conv1d(in, out, kernel, stride, 0, 1, bias));
            // PyTorch's GroupNorm and LayerNorm defaults: eps 1e-5
            this.groupNorm = norm == Norm.GROUP ? register_module("layer_norm", new GroupNorm(out, out, 1e-5)) : null;
            this.layerNorm = norm == Norm.LAYER ? register_module("layer_norm", new LayerNorm(out, 1e-5)) : null;
            this.act = act;
        }

        /** The conv weight [out, in, k] as a Linear over windows laid out [k, in]; null until quantised. */
        private Linear windowsInt8;

        void quantizeDynamicInt8() {
            if (windowsInt8 != null || groupNorm != null) {
                return; // group norm normalises over time per channel: only layer 0 has it, which stays fp32
            }
            Linear lin = new Linear(conv.kernel * conv.inChannels, conv.outChannels, conv.bias != null);
            try (NoGradGuard g = new NoGradGuard()) {
                lin.weight.copy_(conv.weight.permute(0, 2, 1).reshape(conv.outChannels, -1));
                if (conv.bias != null) {
                    lin.bias.copy_(conv.bias);
                }
            }
            lin.eval();
            lin.quantizeDynamicInt8();
            windowsInt8 = lin;
        }

        /** [B, T, in] contiguous -> [B, T', out] contiguous, through the int8 window product. */
        Tensor forwardInt8(Tensor x) {
            long b = x.size(0);
            long t = x.size(1);
            long c = x.size(2);
            long frames = (t - conv.kernel) / conv.stride + 1;
            Tensor windows = x.as_strided(new long[] {b, frames, conv.kernel * c}, new long[] {t * c, conv.stride * c, 1});
            Tensor y = windowsInt8.forward(windows.contiguous());
            if (layerNorm != null) {
                y = layerNorm.forward(y);
            }
            return act.apply(y);
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
