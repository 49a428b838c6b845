package org.mert4j.teacher.encodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.CheckpointException;
import org.mert4j.tensor.Tensors;

/**
 * Reads an EnCodec state dict by Hugging Face names, checking each shape against the config, and
 * folds weight norm into plain convolution weights (inference only). Accepts the new-style
 * {@code parametrizations.weight.original0/1}, the old-style {@code weight_g/weight_v} and plain
 * {@code weight} names. Tensors handed out live on the target device and belong to the caller.
 */
final class EncodecWeights {
    private final Map<String, Tensor> state;
    private final Device device;
    private final String source;
    private final Set<String> used = new HashSet<>();
    private final boolean random;

    EncodecWeights(Map<String, Tensor> state, Device device, String source) {
        this(state, device, source, false);
    }

    private EncodecWeights(Map<String, Tensor> state, Device device, String source, boolean random) {
        this.state = state;
        this.device = device;
        this.source = source;
        this.random = random;
    }

    /** Hands out N(0, 1/fan-in) weights of whatever shape is asked for: a model of the right shape and cost. */
    static EncodecWeights random(Device device) {
        return new EncodecWeights(Map.of(), device, "random weights", true);
    }

    /** The tensor {@code name} as float32 on the device, after checking its shape. */
    Tensor take(String name, long... shape) {
        if (random) {
            long fanIn = shape.length > 1 ? Tensors.numel(shape) / shape[0] : shape[0];
            return torch.randn(shape).mul(new Scalar(1.0 / Math.sqrt(fanIn))).to(device, torch.ScalarType.Float);
        }
        Tensor t = state.get(name);
        if (t == null) {
            throw new CheckpointException(source + ": missing tensor '" + name + "' (expected shape "
                    + Arrays.toString(shape) + ")");
        }
        check(name, t, shape);
        used.add(name);
        return t.to(device, torch.ScalarType.Float).contiguous();
    }

    /** The effective weight of a (possibly weight-normalised) conv at {@code prefix} ("...conv."). */
    Tensor convWeight(String prefix, long... shape) {
        String[][] pairs = {{"parametrizations.weight.original0", "parametrizations.weight.original1"},
                {"weight_g", "weight_v"}};
        for (String[] p : pairs) {
            if (random || state.containsKey(prefix + p[1])) {
                long[] gShape = new long[shape.length];
                Arrays.fill(gShape, 1);
                gShape[0] = shape[0];
                Tensor g = take(prefix + p[0], gShape);
                Tensor v = take(prefix + p[1], shape);
                // weight_norm(dim=0): w = g * v / ||v||, the norm over every dimension but the output channel
                return v.mul(g.div(torch.norm_except_dim(v, 2, 0))).contiguous();
            }
        }
        return take(prefix + "weight", shape);
    }

    /** Fails when the checkpoint has encoder or codebook tensors that the config does not account for. */
    void checkAllUsed(String... prefixes) {
        List<String> extra = new ArrayList<>();
        for (String k : state.keySet()) {
            for (String p : prefixes) {
                if (k.startsWith(p) && !used.contains(k) && !k.endsWith("embed_avg") && !k.endsWith("cluster_size")
                        && !k.endsWith("inited")) {
                    extra.add(k);
                }
            }
        }
        if (!extra.isEmpty()) {
            throw new CheckpointException(source + ": " + extra.size() + " tensors that this config.json does not use, e.g. "
                    + extra.subList(0, Math.min(5, extra.size())) + "; is config.json the checkpoint's own?");
        }
    }

    private void check(String name, Tensor t, long[] shape) {
        if (!Arrays.equals(Tensors.shape(t), shape)) {
            throw new CheckpointException(source + ": tensor '" + name + "' has shape " + Tensors.shapeString(t)
                    + ", config.json needs " + Arrays.toString(shape));
        }
        if (!t.is_floating_point()) {
            throw new CheckpointException(source + ": tensor '" + name + "' has dtype " + t.scalar_type()
                    + ", expected a float type");
        }
    }
}
