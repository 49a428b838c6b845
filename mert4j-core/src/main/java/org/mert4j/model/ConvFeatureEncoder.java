package org.mert4j.model;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Conv1d;
import org.mert4j.nn.CpuInference;
import org.mert4j.nn.GroupNorm;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.Linear;
import org.mert4j.nn.OneDnnConv;
import org.mert4j.nn.OneDnnLinear;

/**
 * The conv front (SPEC 1.2 step 1): 7 strided Conv1d layers turning the waveform into 512-d frames,
 * each conv followed by a norm and GELU. {@code group} mode: only layer 0 has a norm, a GroupNorm with
 * one group per channel; {@code layer} mode: every layer has a LayerNorm over channels.
 * State-dict prefix: {@code feature_extractor.conv_layers.{i}}.
 *
 * <p>CPU inference runs time-major ([B, T, C] between layers): the first layer folds its GroupNorm
 * into one product over the waveform's windows ({@link FoldedGroupNormConv}); the later layers are
 * oneDNN convolutions over time-major frames with GELU fused ({@link OneDnnConv}), or once int8, FBGEMM
 * products over copied windows of frames (one row per output frame, kernel x channels wide). Training
 * and GPUs run the channel-major convolutions.
 */
public final class ConvFeatureEncoder extends Module {
    /** {@code -Dmert4j.timeMajorConv=false} keeps fp32 CPU inference channel-major (for before/after timings). */
    public static final String TIME_MAJOR_PROPERTY = "mert4j.timeMajorConv";
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
        if (timeMajor(wave)) {
            if (wave.size(0) == 1) {
                return forwardTimeMajor(wave);
            }
            // one clip at a time: a 5 s clip's activations (about 100 MB) stay in cache far better than
            // a batch's (6 clips: 1.73 s batched, 1.44 s one at a time)
            TensorVector clips = new TensorVector();
            for (long i = 0; i < wave.size(0); i++) {
                clips.push_back(forwardTimeMajor(wave.narrow(0, i, 1)));
            }
            return torch.cat(clips, 0);
        }
        Tensor x = wave.unsqueeze(1);
        for (ConvLayer layer : layers) {
            x = layer.forward(x);
        }
        return x.transpose(1, 2);
    }

    /** [B, N] -> [B, T, C] time-major through every layer (see the class comment). */
    private Tensor forwardTimeMajor(Tensor wave) {
        ConvLayer first = layers[0];
        Tensor x = OneDnnLinear.available() && first.act == Activation.GELU
                && FoldedGroupNormConv.applies(first.conv, first.groupNorm)
                ? FoldedGroupNormConv.forward(wave, first.conv, first.groupNorm)
                : first.forward(wave.unsqueeze(1)).transpose(1, 2).contiguous();
        for (int i = 1; i < layers.length; i++) {
            x = layers[i].forwardTimeMajor(x);
        }
        return x;
    }

    /** CPU inference, int8 or fp32 with oneDNN at hand (see the class comment). */
    private boolean timeMajor(Tensor wave) {
        return CpuInference.fp32(this, wave, layers[0].conv.weight) && (quantized
                || OneDnnConv.available() && !"false".equals(System.getProperty(TIME_MAJOR_PROPERTY)));
    }

    /**
     * Int8 for CPU inference in every layer after the first: the window products run in FBGEMM like
     * the transformer's Linears. The first layer (one input channel, under 1 % of the arithmetic) stays
     * fp32. Training keeps the fp32 convolutions.
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

        /**
         * Output frames per int8 window product: the copied windows are kernel x channels wide (74 MB
         * for the 12,000 frames of a 5 s window's second layer), so a whole long clip goes in pieces.
         */
        private static final long FRAMES_PER_PRODUCT = 16384;

        /** [B, T, in] -> [B, T', out] contiguous, time-major throughout. */
        Tensor forwardTimeMajor(Tensor x) {
            long t = x.size(1);
            long frames = (t - conv.kernel) / conv.stride + 1;
            if (frames < 1) {
                throw new IllegalArgumentException("conv layer input of " + t + " frames is shorter than its kernel ("
                        + conv.kernel + "): the audio is too short for this model");
            }
            if (windowsInt8 == null) {
                boolean fuseGelu = layerNorm == null && act == Activation.GELU;
                Tensor y = OneDnnConv.timeMajor(x, conv.weight, conv.bias, conv.stride, 0, 1, fuseGelu);
                return fuseGelu ? y : normAndActivation(y);
            }
            Tensor contiguousFrames = x.contiguous(); // the window views below assume contiguous frames
            if (frames <= FRAMES_PER_PRODUCT) {
                return int8WindowProduct(contiguousFrames, 0, frames);
            }
            TensorVector pieces = new TensorVector();
            for (long start = 0; start < frames; start += FRAMES_PER_PRODUCT) {
                long count = Math.min(FRAMES_PER_PRODUCT, frames - start);
                pieces.push_back(int8WindowProduct(contiguousFrames, start, count));
            }
            return torch.cat(pieces, 1);
        }

        /**
         * Output frames [start, start + count) of contiguous frames x: the int8 conv as a product over
         * copied windows of frames.
         */
        private Tensor int8WindowProduct(Tensor x, long start, long count) {
            long t = x.size(1);
            long c = x.size(2);
            // as_strided keeps the view's storage offset: narrow first to start at this piece
            Tensor span = x.narrow(1, start * conv.stride, (count - 1) * conv.stride + conv.kernel);
            Tensor windows = span.as_strided(new long[] {x.size(0), count, conv.kernel * c},
                    new long[] {t * c, conv.stride * c, 1}).contiguous();
            return normAndActivation(windowsInt8.forward(windows));
        }

        /** The norm (if a LayerNorm) and activation of time-major conv output. */
        private Tensor normAndActivation(Tensor y) {
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
