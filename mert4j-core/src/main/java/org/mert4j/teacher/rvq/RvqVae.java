package org.mert4j.teacher.rvq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.CheckpointFiles;
import org.mert4j.io.StateDict;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.Tensors;

/**
 * A small residual-VQ autoencoder: the acoustic teacher for users without EnCodec weights. Encoder:
 * conv, then per stride a residual unit and a strided conv that doubles the width, then a conv to the
 * latent; K codebooks quantise the latent residually (EMA-updated during training); the decoder mirrors
 * the encoder with transposed convs. Codes come out as {@code [K][ceil(samples / hop)]}, EnCodec's format.
 * Encoding is safe from several threads; training is not.
 */
public final class RvqVae extends Module implements CodeTeacher {
    private final RvqVaeConfig config;
    private final Device device;
    // tensors by their saved (dotted) names; libtorch registers them with '_' since its names cannot hold dots
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    /** Codebooks [C, D] and their EMA statistics, as buffers (not trained by the optimiser). */
    final List<Tensor> embed = new ArrayList<>();
    final List<Tensor> embedAvg = new ArrayList<>();
    final List<Tensor> clusterSize = new ArrayList<>();
    final Tensor initialised;

    /** A model with weights drawn from torch's generator as it stands (seeded or not). */
    public RvqVae(RvqVaeConfig config, String device) {
        this(config, device, null);
    }

    /** A model with weights drawn from torch's generator seeded with {@code seed}: the same seed, the same model. */
    public RvqVae(RvqVaeConfig config, String device, long seed) {
        this(config, device, Long.valueOf(seed));
    }

    private RvqVae(RvqVaeConfig config, String device, Long seed) {
        if (seed != null) {
            torch.manual_seed(seed); // before any weight is drawn
        }
        this.config = config;
        this.device = Devices.parse(device);
        int ch = config.channels();
        int[] s = config.strides();
        conv("encoder.in", 1, ch, 7);
        for (int i = 0; i < s.length; i++) {
            resUnit("encoder.stage" + i + ".res", ch);
            conv("encoder.stage" + i + ".down", ch, 2 * ch, 2 * s[i]);
            ch *= 2;
        }
        conv("encoder.out", ch, config.latentDim(), 3);
        conv("decoder.in", config.latentDim(), ch, 7);
        for (int i = s.length - 1; i >= 0; i--) {
            String p = "decoder.stage" + (s.length - 1 - i);
            // transposed conv weight is [in, out, k]
            param(p + ".up.weight", Math.sqrt(1.0 / (ch * 2.0)), ch, ch / 2, 2L * s[i]);
            param(p + ".up.bias", 0, ch / 2);
            ch /= 2;
            resUnit(p + ".res", ch);
        }
        conv("decoder.out", ch, 1, 7);
        for (int k = 0; k < config.numCodebooks(); k++) {
            embed.add(buffer("quantizer." + k + ".embed", torch.randn(config.codebookSize(), config.latentDim())));
            embedAvg.add(buffer("quantizer." + k + ".embed_avg", torch.zeros(config.codebookSize(), config.latentDim())));
            clusterSize.add(buffer("quantizer." + k + ".cluster_size", torch.zeros(config.codebookSize())));
        }
        initialised = buffer("quantizer.initialised", torch.zeros(1));
    }

    public RvqVaeConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    /** Trainable parameters by name (encoder and decoder; codebooks are buffers). */
    public Map<String, Tensor> trainable() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    // ---- building blocks

    private void conv(String name, int in, int out, int kernel) {
        param(name + ".weight", Math.sqrt(1.0 / (in * (double) kernel)), out, in, kernel);
        param(name + ".bias", 0, out);
    }

    private void resUnit(String name, int ch) {
        conv(name + ".conv1", ch, ch, 3);
        conv(name + ".conv2", ch, ch, 1);
    }

    private void param(String name, double std, long... shape) {
        Tensor init = std == 0 ? torch.zeros(shape) : torch.randn(shape).mul(new Scalar(std));
        Tensor t = new Tensor(register_parameter(name.replace('.', '_'), init.to(device, torch.ScalarType.Float)));
        parameters.put(name, t);
    }

    private Tensor buffer(String name, Tensor init) {
        Tensor t = new Tensor(register_buffer(name.replace('.', '_'), init.to(device, torch.ScalarType.Float)));
        buffers.put(name, t);
        return t;
    }

    private Tensor p(String name) {
        return parameters.get(name);
    }

    /** Zero-padded conv that keeps the length (odd kernels) or divides it by the stride. */
    private Tensor conv(Tensor x, String name, int stride) {
        Tensor w = p(name + ".weight");
        long k = w.size(2);
        long total = k - stride;
        long left = (total + 1) / 2;
        Tensor padded = torch.pad(x, new long[] {left, total - left}, "constant", new DoubleOptional(0.0));
        return torch.conv1d(padded, w, new TensorOptional(p(name + ".bias")), new long[] {stride}, new long[] {0},
                new long[] {1}, 1);
    }

    private Tensor resUnit(Tensor x, String name) {
        Tensor h = conv(torch.elu(conv(torch.elu(x), name + ".conv1", 1)), name + ".conv2", 1);
        return x.add(h);
    }

    /** Audio [B, 1, N] with N a multiple of the hop -> latent [B, D, N / hop]. */
    public Tensor encodeLatent(Tensor audio) {
        Tensor x = conv(audio, "encoder.in", 1);
        int[] s = config.strides();
        for (int i = 0; i < s.length; i++) {
            x = resUnit(x, "encoder.stage" + i + ".res");
            x = conv(torch.elu(x), "encoder.stage" + i + ".down", s[i]);
        }
        return conv(torch.elu(x), "encoder.out", 1);
    }

    /** Latent [B, D, T] -> audio [B, 1, T * hop]. */
    public Tensor decode(Tensor latent) {
        Tensor x = conv(latent, "decoder.in", 1);
        int[] s = config.strides();
        for (int j = 0; j < s.length; j++) {
            int stride = s[s.length - 1 - j];
            String p = "decoder.stage" + j;
            long len = x.size(2);
            Tensor up = torch.conv_transpose1d(torch.elu(x), p(p + ".up.weight"), new TensorOptional(p(p + ".up.bias")),
                    new long[] {stride}, new long[] {0}, new long[] {0}, 1, 1);
            // (len - 1) * s + 2s samples: drop the half-kernel overhang to get len * s
            x = up.narrow(2, stride / 2, len * stride);
            x = resUnit(x, p + ".res");
        }
        return conv(torch.elu(x), "decoder.out", 1);
    }

    public List<Tensor> codebooks() {
        return java.util.Collections.unmodifiableList(embed);
    }

    /** Codes of audio [B, 1, N] (any N >= 1; zero-padded to a whole hop): int64 [B, K, ceil(N / hop)]. */
    public Tensor encode(Tensor audio) {
        if (audio.dim() != 3 || audio.size(1) != 1 || audio.size(2) < 1) {
            throw new IllegalArgumentException("RVQ-VAE input must be [batch, 1, samples >= 1], got "
                    + Tensors.shapeString(audio));
        }
        long n = audio.size(2);
        long hop = config.hopLength();
        long frames = (n + hop - 1) / hop;
        Tensor x = torch.pad(audio.to(device, torch.ScalarType.Float), new long[] {0, frames * hop - n}, "constant",
                new DoubleOptional(0.0));
        return ResidualVq.encode(encodeLatent(x), embed);
    }

    @Override
    public int[][] codes(float[] mono) {
        if (mono.length == 0) {
            throw new IllegalArgumentException("cannot encode an empty clip: the RVQ-VAE needs at least 1 sample");
        }
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            return Tensors.toIntRows(encode(Tensors.fromFloats(mono, 1, 1, mono.length)).select(0, 0));
        }
    }

    @Override
    public int numCodebooks() {
        return config.numCodebooks();
    }

    @Override
    public int codebookSize() {
        return config.codebookSize();
    }

    @Override
    public double frameRate() {
        return config.frameRate();
    }

    @Override
    public int sampleRate() {
        return config.sampleRate();
    }

    @Override
    public int hopLength() {
        return config.hopLength();
    }

    // ---- persistence

    /** All tensors (parameters and codebook buffers) by name, as CPU float32 copies. */
    Map<String, Tensor> stateForSaving() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Device cpu = new Device("cpu");
        for (Map.Entry<String, Tensor> e : allTensors().entrySet()) {
            out.put(e.getKey(), e.getValue().detach().to(cpu, torch.ScalarType.Float).contiguous());
        }
        return out;
    }

    /** The names of the tensors (parameters and codebooks) holding a NaN or an infinity; empty when all are finite. */
    public List<String> nonFinite() {
        Map<String, Tensor> all = allTensors();
        List<String> out = new ArrayList<>();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            List<Tensor> counts = new ArrayList<>();
            Tensor total = null;
            for (Tensor t : all.values()) {
                Tensor bad = torch.isfinite(t).logical_not().sum();
                counts.add(bad);
                total = total == null ? bad : total.add(bad);
            }
            if (total == null || total.item_long() == 0) { // one synchronisation in the common case
                return out;
            }
            int i = 0;
            for (String name : all.keySet()) {
                if (counts.get(i++).item_long() > 0) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    private Map<String, Tensor> allTensors() {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters);
        all.putAll(buffers);
        return all;
    }

    /** Writes config.json and model.safetensors into {@code dir}, replacing a previous save as a whole. */
    public void save(Path dir) {
        RvqVaeFolder.save(this, dir);
    }

    /** Loads a folder written by {@link #save}. */
    public static RvqVae load(Path dir, String device) {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(dir + ": has no config.json; expected an RVQ-VAE model folder");
        }
        RvqVaeConfig config = RvqVaeConfig.fromJson(configFile);
        RvqVae model = new RvqVae(config, device);
        try (StateDict state = CheckpointFiles.load(dir); NoGradGuard guard = new NoGradGuard()) {
            List<String> problems = new ArrayList<>();
            Map<String, Tensor> targets = model.allTensors();
            for (Map.Entry<String, Tensor> e : targets.entrySet()) {
                if (!state.contains(e.getKey())) {
                    problems.add("missing tensor '" + e.getKey() + "'");
                    continue;
                }
                Tensor src = state.get(e.getKey());
                if (!Arrays.equals(Tensors.shape(src), Tensors.shape(e.getValue()))) {
                    problems.add("tensor '" + e.getKey() + "' has shape " + Tensors.shapeString(src) + ", config.json needs "
                            + Tensors.shapeString(e.getValue()));
                    continue;
                }
                e.getValue().copy_(src.to(model.device, torch.ScalarType.Float));
            }
            for (String k : state.names()) {
                if (!targets.containsKey(k)) {
                    problems.add("unexpected tensor '" + k + "'");
                }
            }
            if (!problems.isEmpty()) {
                throw new CheckpointException(dir + ": checkpoint does not match config.json (" + config + "):\n  "
                        + String.join("\n  ", problems.subList(0, Math.min(12, problems.size()))));
            }
        }
        return model;
    }

    /** Every parameter in one vector, for optimisers. */
    TensorVector parameterVector() {
        TensorVector v = new TensorVector();
        for (Tensor t : parameters.values()) {
            v.push_back(t);
        }
        return v;
    }
}
