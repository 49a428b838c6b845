package org.mert4j.nn.cpu;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Activation;
import org.mert4j.nn.Conv1d;
import org.mert4j.nn.LayerNorm;
import org.mert4j.nn.WeightNormConv1d;

/**
 * A convolution over time-major frames [B, T, C] for CPU inference: conv, then a LayerNorm over
 * channels if there is one, then the activation, with no transpose on either side. fp32 runs as a
 * oneDNN convolution ({@link OneDnnConv}) with GELU applied as the output is written when no norm comes
 * between; int8 runs as an FBGEMM product over copied windows of frames (one row per output frame,
 * kernel x channels wide).
 */
public final class TimeMajorConvLayer implements AutoCloseable {
    /**
     * Output frames per int8 window product: the copied windows are kernel x channels wide (74 MB for
     * the 12,000 frames of a 5 s window's second layer), so a whole long clip goes in pieces.
     */
    static final long FRAMES_PER_PRODUCT = 16384;

    private final Owned owned = new Owned();
    private final Tensor weight;
    private final Tensor bias;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final LayerNorm norm;
    private final Activation act;
    private final Int8Linear windowsInt8;

    private TimeMajorConvLayer(Tensor weight, Tensor bias, int stride, int padding, int groups, LayerNorm norm,
                               Activation act, boolean int8) {
        if (!int8 && !OneDnnConv.available()) {
            throw new IllegalStateException("this libtorch has no oneDNN convolution operator");
        }
        if (int8 && (padding != 0 || groups != 1)) {
            throw new IllegalArgumentException("int8 window products need a conv without padding or groups");
        }
        this.weight = weight;
        this.bias = bias;
        this.kernel = (int) weight.size(2);
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        this.norm = norm;
        this.act = act;
        // the conv weight [out, in, k] as a Linear over windows laid out [k, in]
        this.windowsInt8 = int8 ? new Int8Linear(weight.permute(0, 2, 1).reshape(weight.size(0), -1), bias) : null;
    }

    /** A conv-front layer in fp32 through oneDNN; {@code norm} may be null. Uses the conv's weight as it is. */
    public static TimeMajorConvLayer fp32(Conv1d conv, LayerNorm norm, Activation act) {
        return new TimeMajorConvLayer(conv.weight, conv.bias, conv.stride, conv.padding, conv.groups, norm, act, false);
    }

    /** A conv-front layer as int8 window products; {@code norm} may be null. */
    public static TimeMajorConvLayer int8(Conv1d conv, LayerNorm norm, Activation act) {
        try (NoGradGuard guard = new NoGradGuard()) {
            return new TimeMajorConvLayer(conv.weight, conv.bias, conv.stride, conv.padding, conv.groups, norm, act,
                    true);
        }
    }

    /**
     * A weight-normalised conv (stride 1) in fp32 through oneDNN, with g * v / ||v|| computed once here
     * and kept: for 95M's positional conv the norm costs about 10 ms a call, a percent of a 5 s window.
     */
    public static TimeMajorConvLayer keptWeightNorm(WeightNormConv1d conv, Activation act) {
        try (NoGradGuard guard = new NoGradGuard()) {
            Tensor w = conv.weight();
            TimeMajorConvLayer layer = new TimeMajorConvLayer(w, conv.bias, 1, conv.padding, conv.groups, null, act,
                    false);
            layer.owned.keep(w);
            return layer;
        }
    }

    /** [B, T, in] -> [B, T', out], contiguous and time-major. */
    public Tensor forward(Tensor x) {
        long t = x.size(1);
        long frames = (t + 2L * padding - kernel) / stride + 1;
        if (t + 2L * padding < kernel) {
            throw new IllegalArgumentException("conv layer input of " + t + " frames is shorter than its kernel ("
                    + kernel + "): the audio is too short for this model");
        }
        if (windowsInt8 == null) {
            boolean fuseGelu = norm == null && act == Activation.GELU;
            Tensor y = OneDnnConv.timeMajor(x, weight, bias, stride, padding, groups, fuseGelu);
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

    /** Output frames [start, start + count) of contiguous frames x: the conv as a product over copied windows. */
    private Tensor int8WindowProduct(Tensor x, long start, long count) {
        long t = x.size(1);
        long c = x.size(2);
        // as_strided keeps the view's storage offset: narrow first to start at this piece
        Tensor span = x.narrow(1, start * stride, (count - 1) * stride + kernel);
        Tensor windows = span.as_strided(new long[] {x.size(0), count, kernel * c},
                new long[] {t * c, (long) stride * c, 1}).contiguous();
        return normAndActivation(windowsInt8.forward(windows));
    }

    private Tensor normAndActivation(Tensor y) {
        return act.apply(norm == null ? y : norm.forward(y));
    }

    @Override
    public void close() {
        if (windowsInt8 != null) {
            windowsInt8.close();
        }
        owned.close();
    }
}
