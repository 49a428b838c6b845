package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.nn.Activation;
import org.mert4j.nn.cpu.FoldedGroupNormConv;
import org.mert4j.nn.cpu.OneDnnConv;
import org.mert4j.nn.cpu.OneDnnLinear;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * {@link ConvFeatureEncoder} for CPU inference, time-major ([B, T, C]) between layers: the first layer
 * with its GroupNorm folded into one product over the waveform's windows ({@link FoldedGroupNormConv}),
 * the later layers as convolutions over time-major frames ({@link TimeMajorConvLayer}, fp32 or int8),
 * and a batch one clip at a time. Without those kernels (or with {@code timeMajorConv} off) it runs the
 * plain module.
 */
final class CpuConvFront implements AutoCloseable {
    private final ConvFeatureEncoder plain;
    private final FoldedGroupNormConv foldedFirst;
    // null: the plain module, channel-major
    private final List<TimeMajorConvLayer> later;

    CpuConvFront(ConvFeatureEncoder plain, CpuInferenceOptions options) {
        this.plain = plain;
        boolean oneDnnConv = options.oneDnn() && OneDnnConv.available();
        if (!(options.int8() || oneDnnConv && options.timeMajorConv())) {
            this.foldedFirst = null;
            this.later = null;
            return;
        }
        ConvFeatureEncoder.ConvLayer first = plain.layers().get(0);
        this.foldedFirst = options.oneDnn() && OneDnnLinear.available() && first.act == Activation.GELU
                && FoldedGroupNormConv.applies(first.conv, first.groupNorm)
                ? new FoldedGroupNormConv(first.conv, first.groupNorm) : null;
        List<TimeMajorConvLayer> layers = new ArrayList<>();
        for (ConvFeatureEncoder.ConvLayer l : plain.layers().subList(1, plain.layers().size())) {
            // only layer 0 has a GroupNorm (normalising over time, it does not go time-major)
            layers.add(options.int8() ? TimeMajorConvLayer.int8(l.conv, l.layerNorm, l.act)
                    : TimeMajorConvLayer.fp32(l.conv, l.layerNorm, l.act));
        }
        this.later = List.copyOf(layers);
    }

    /** [B, N] waveform -> [B, T, C] features. */
    Tensor forward(Tensor wave) {
        if (later == null) {
            return plain.forward(wave);
        }
        if (wave.size(0) == 1) {
            return forwardClip(wave);
        }
        // one clip at a time: a 5 s clip's activations (about 100 MB) stay in cache far better than
        // a batch's (6 clips: 1.73 s batched, 1.44 s one at a time)
        TensorVector clips = new TensorVector();
        for (long i = 0; i < wave.size(0); i++) {
            clips.push_back(forwardClip(wave.narrow(0, i, 1)));
        }
        return torch.cat(clips, 0);
    }

    private Tensor forwardClip(Tensor wave) {
        Tensor x = foldedFirst != null ? foldedFirst.forward(wave)
                : plain.layers().get(0).forward(wave.unsqueeze(1)).transpose(1, 2).contiguous();
        for (TimeMajorConvLayer layer : later) {
            x = layer.forward(x);
        }
        return x;
    }

    @Override
    public void close() {
        if (foldedFirst != null) {
            foldedFirst.close();
        }
        if (later != null) {
            later.forEach(TimeMajorConvLayer::close);
        }
    }
}
