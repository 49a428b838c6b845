package org.mert4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.nn.Activation;

/**
 * The encoder's hyper-parameters, read from a Hugging Face {@code config.json} (docs/model.md,
 * "Configuration"), grouped by the part of the model they shape. Keys keep their Hugging Face names
 * in JSON; unknown keys are tolerated and kept for export; a key whose value changes the maths in a
 * way mert4j does not implement is refused by name. Every group checks its values when built.
 *
 * @param modelType   {@code model_type}: {@code mert_model}, or {@code hubert}
 * @param sampleRate  {@code sample_rate}: the rate the model expects, in Hz
 * @param convFront   the strided convolutions over the waveform
 * @param featureProjectionLayerNorm {@code feat_proj_layer_norm}: LayerNorm over the conv features
 *                    before their projection to the hidden size
 * @param positionalConv the convolutional position embedding
 * @param transformer the transformer layers
 * @param dropout     training regularisation (identity at inference)
 * @param masking     span masking of pretraining ({@code mask_time_*}, {@code mask_feature_*})
 * @param cqtInputBins {@code feature_extractor_cqt_bins} when {@code feature_extractor_cqt} is true (MERT's CQT
 *                    input front, {@link CqtInputFront}), else 0
 * @param spectrogramFront the spectrogram input front that replaces the conv front
 *                    ({@code feature_extractor_type: spectrogram}), else null
 * @param extra       the keys mert4j does not read, kept for export (a copy is handed out)
 */
public record MertConfig(
        String modelType,
        int sampleRate,
        ConvFront convFront,
        boolean featureProjectionLayerNorm,
        PositionalConv positionalConv,
        Transformer transformer,
        Dropout dropout,
        Masking masking,
        int cqtInputBins,
        SpectrogramFront spectrogramFront,
        ObjectNode extra) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DIM = 1 << 16;
    private static final int MAX_LAYERS = 1024;

    public MertConfig {
        positive("sample_rate", sampleRate, 1_000_000);
        if (cqtInputBins != 0 && (cqtInputBins < 7 || cqtInputBins > 7 * 128 || cqtInputBins % 7 != 0)) {
            throw new ConfigException(CQT_BINS + " must be a multiple of 7 (7 octaves) in [7, 896], found " + cqtInputBins);
        }
        if (spectrogramFront != null && cqtInputBins > 0) {
            throw new ConfigException("feature_extractor_cqt joins the CQT to the conv front's features; the"
                    + " spectrogram front (feature_extractor_type: spectrogram) has its own CQT bins"
                    + " (spectrogram_cqt_bins)");
        }
        if (transformer.hiddenSize() % positionalConv.groups() != 0) {
            throw new ConfigException("hidden_size " + transformer.hiddenSize() + " is not divisible by"
                    + " num_conv_pos_embedding_groups " + positionalConv.groups());
        }
        extra = extra == null ? JSON.createObjectNode() : extra.deepCopy();
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    /**
     * The conv front.
     * @param dims       {@code conv_dim}: output channels of each layer
     * @param kernels    {@code conv_kernel}
     * @param strides    {@code conv_stride}
     * @param bias       {@code conv_bias}
     * @param norm       {@code feat_extract_norm}
     * @param activation {@code feat_extract_activation}, also the positional conv's activation
     */
    public record ConvFront(List<Integer> dims, List<Integer> kernels, List<Integer> strides, boolean bias,
                            ConvNorm norm, Activation activation) {
        public ConvFront {
            dims = List.copyOf(dims);
            kernels = List.copyOf(kernels);
            strides = List.copyOf(strides);
            if (dims.isEmpty() || dims.size() != kernels.size() || dims.size() != strides.size()) {
                throw new ConfigException("conv_dim, conv_kernel and conv_stride must have the same non-zero length,"
                        + " found " + dims.size() + ", " + kernels.size() + " and " + strides.size());
            }
            for (int i = 0; i < dims.size(); i++) {
                positive("conv_dim[" + i + "]", dims.get(i), MAX_DIM);
                positive("conv_kernel[" + i + "]", kernels.get(i), MAX_DIM);
                positive("conv_stride[" + i + "]", strides.get(i), MAX_DIM);
            }
            Objects.requireNonNull(norm, "feat_extract_norm");
            Objects.requireNonNull(activation, "feat_extract_activation");
        }

        public int layers() {
            return dims.size();
        }

        /** Channels of the conv front's output frames. */
        public int outputDim() {
            return dims.get(dims.size() - 1);
        }
    }

    /**
     * The convolutional position embedding.
     * @param kernel {@code num_conv_pos_embeddings}: its width in frames
     * @param groups {@code num_conv_pos_embedding_groups}
     */
    public record PositionalConv(int kernel, int groups) {
        public PositionalConv {
            positive("num_conv_pos_embeddings", kernel, MAX_DIM);
            positive("num_conv_pos_embedding_groups", groups, MAX_DIM);
        }
    }

    /**
     * The spectrogram input front ({@link SpectrogramInputFront}): log-mel and log-CQT frames of the waveform every
     * {@code hop} samples, {@code stack} consecutive frames joined into one encoder frame, so that an encoder frame
     * covers {@code hop * stack} samples. Not trained: what the encoder hears of pitch and timbre is there from the
     * first update, where a waveform conv front must first learn it.
     * @param nMels   {@code spectrogram_mels}: mel bands (2048-point FFT, HTK scale)
     * @param cqtBins {@code spectrogram_cqt_bins}: CQT bins from 32.7 Hz over 7 octaves (a multiple of 7)
     * @param hop     {@code spectrogram_hop}: samples between spectrogram frames
     * @param stack   {@code spectrogram_stack}: spectrogram frames per encoder frame
     */
    public record SpectrogramFront(int nMels, int cqtBins, int hop, int stack) {
        public static final int N_FFT = 2048;

        public SpectrogramFront {
            positive("spectrogram_mels", nMels, 1024);
            positive("spectrogram_hop", hop, MAX_DIM);
            positive("spectrogram_stack", stack, 64);
            if (cqtBins < 0 || cqtBins > 7 * 128 || cqtBins % 7 != 0) {
                throw new ConfigException("spectrogram_cqt_bins must be a multiple of 7 (7 octaves) in [0, 896], found "
                        + cqtBins);
            }
        }

        /** Values of one spectrogram frame: the mel bands, then the CQT bins. */
        public int frameDim() {
            return nMels + cqtBins;
        }

        /** Values of one encoder frame's input: {@code stack} spectrogram frames. */
        public int outputDim() {
            return stack * frameDim();
        }
    }

    /**
     * The transformer layers.
     * @param hiddenSize       {@code hidden_size} H
     * @param numLayers        {@code num_hidden_layers} L
     * @param numHeads         {@code num_attention_heads}
     * @param intermediateSize {@code intermediate_size}: the feed-forward's inner width
     * @param activation       {@code hidden_act}: the feed-forward's activation
     * @param preNorm          {@code do_stable_layer_norm}: pre-LN layers (else post-LN)
     * @param layerNormEps     {@code layer_norm_eps}
     * @param attentionRelax   {@code attention_relax}: the softmax stabiliser's constant, or <= 0 for none
     * @param deepnorm         {@code deepnorm}: post-LN residuals scaled by (2L)^(1/4)
     */
    public record Transformer(int hiddenSize, int numLayers, int numHeads, int intermediateSize, Activation activation,
                              boolean preNorm, double layerNormEps, double attentionRelax, boolean deepnorm) {
        public Transformer {
            positive("hidden_size", hiddenSize, MAX_DIM);
            positive("num_hidden_layers", numLayers, MAX_LAYERS);
            positive("num_attention_heads", numHeads, MAX_DIM);
            positive("intermediate_size", intermediateSize, 8 * MAX_DIM);
            if (hiddenSize % numHeads != 0) {
                throw new ConfigException("hidden_size " + hiddenSize + " is not divisible by num_attention_heads "
                        + numHeads);
            }
            Objects.requireNonNull(activation, "hidden_act");
            if (preNorm && deepnorm) {
                throw new ConfigException("deepnorm = true needs post-LN, but do_stable_layer_norm = true");
            }
            if (!(layerNormEps > 0) || layerNormEps > 1) {
                throw new ConfigException("layer_norm_eps must be in (0, 1], found " + layerNormEps);
            }
        }

        public int headDim() {
            return hiddenSize / numHeads;
        }
    }

    /**
     * Dropout probabilities, used in training only.
     * @param hidden            {@code hidden_dropout}: on residual branches and the encoder input
     * @param attention         {@code attention_dropout}: on attention probabilities
     * @param activation        {@code activation_dropout}: inside the feed-forward
     * @param featureProjection {@code feat_proj_dropout}
     * @param layerdrop         {@code layerdrop}: probability of skipping a whole layer
     */
    public record Dropout(double hidden, double attention, double activation, double featureProjection,
                          double layerdrop) {
        public Dropout {
            probability("hidden_dropout", hidden);
            probability("attention_dropout", attention);
            probability("activation_dropout", activation);
            probability("feat_proj_dropout", featureProjection);
            probability("layerdrop", layerdrop);
        }
    }

    /**
     * Span masking as the Hugging Face model applies it in training; mert4j's pretraining masks with its
     * own settings and uses only whether {@code masked_spec_embed} exists ({@link #hasMaskedSpecEmbed}).
     */
    public record Masking(double timeProb, int timeLength, int timeMinMasks, double featureProb, int featureLength,
                          int featureMinMasks) {
        public Masking {
            probability("mask_time_prob", timeProb);
            probability("mask_feature_prob", featureProb);
        }
    }

    /** Reads and validates a {@code config.json}; errors name the file and the key. */
    public static MertConfig fromJson(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read model config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": model config must be a JSON object");
        }
        try {
            return fromJson((ObjectNode) root);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    public static MertConfig fromJson(ObjectNode n) {
        Reader r = new Reader(n);
        refuseTrue(n, "conv_pos_batch_norm", "the positional convolution with batch norm (conv_pos_batch_norm)"
                + " is not part of MERT");
        List<Integer> convDim = r.ints("conv_dim", List.of(512, 512, 512, 512, 512, 512, 512));
        if (n.has("num_feat_extract_layers") && n.get("num_feat_extract_layers").asInt() != convDim.size()) {
            throw new ConfigException("num_feat_extract_layers = " + n.get("num_feat_extract_layers").asInt()
                    + " but conv_dim has " + convDim.size() + " entries");
        }
        ConvFront convFront = new ConvFront(convDim,
                r.ints("conv_kernel", List.of(10, 3, 3, 3, 3, 2, 2)),
                r.ints("conv_stride", List.of(5, 2, 2, 2, 2, 2, 2)),
                r.bool("conv_bias", false),
                ConvNorm.parse(r.str("feat_extract_norm", "group")),
                activation("feat_extract_activation", r.str("feat_extract_activation", "gelu")));
        Transformer transformer = new Transformer(
                r.integer("hidden_size", 768),
                r.integer("num_hidden_layers", 12),
                r.integer("num_attention_heads", 12),
                r.integer("intermediate_size", 3072),
                activation("hidden_act", r.str("hidden_act", "gelu")),
                r.bool("do_stable_layer_norm", false),
                r.dbl("layer_norm_eps", 1e-5),
                r.dbl("attention_relax", -1.0),
                r.bool("deepnorm", false));
        Dropout dropout = new Dropout(
                r.dbl("hidden_dropout", 0.1),
                r.dbl("attention_dropout", 0.1),
                r.dbl("activation_dropout", 0.1),
                r.dbl("feat_proj_dropout", 0.0),
                r.dbl("layerdrop", 0.1));
        Masking masking = new Masking(
                r.dbl("mask_time_prob", 0.05),
                r.integer("mask_time_length", 10),
                r.integer("mask_time_min_masks", 2),
                r.dbl("mask_feature_prob", 0.0),
                r.integer("mask_feature_length", 10),
                r.integer("mask_feature_min_masks", 0));
        ObjectNode extra = n.deepCopy();
        extra.remove(KNOWN_KEYS);
        return new MertConfig(
                r.str("model_type", "mert_model"),
                r.integer("sample_rate", 16000),
                convFront,
                r.bool("feat_proj_layer_norm", true),
                new PositionalConv(r.integer("num_conv_pos_embeddings", 128),
                        r.integer("num_conv_pos_embedding_groups", 16)),
                transformer,
                dropout,
                masking,
                r.bool("feature_extractor_cqt", false) ? r.integer(CQT_BINS, 336) : 0,
                spectrogramFront(r),
                extra);
    }

    private static SpectrogramFront spectrogramFront(Reader r) {
        String type = r.str(FRONT_TYPE, "conv");
        return switch (type) {
            case "conv" -> null;
            case "spectrogram" -> new SpectrogramFront(r.integer("spectrogram_mels", 128),
                    r.integer("spectrogram_cqt_bins", 84), r.integer("spectrogram_hop", 320),
                    r.integer("spectrogram_stack", 3));
            default -> throw new ConfigException(FRONT_TYPE + " must be conv or spectrogram, found '" + type + "'");
        };
    }

    /** The Hugging Face {@code config.json} of this configuration, unknown keys of the source included. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", modelType);
        n.putArray("architectures").add(modelType.equals("hubert") ? "HubertModel"
                : spectrogramFront != null ? "Mert4jSpectrogramModel" : "MERTModel");
        n.put("hidden_size", transformer.hiddenSize());
        n.put("num_hidden_layers", transformer.numLayers());
        n.put("num_attention_heads", transformer.numHeads());
        n.put("intermediate_size", transformer.intermediateSize());
        n.put("hidden_act", transformer.activation().hfName());
        putInts(n.putArray("conv_dim"), convFront.dims());
        putInts(n.putArray("conv_kernel"), convFront.kernels());
        putInts(n.putArray("conv_stride"), convFront.strides());
        n.put("num_feat_extract_layers", convFront.layers());
        n.put("conv_bias", convFront.bias());
        n.put("feat_extract_norm", convFront.norm().configName());
        n.put("feat_extract_activation", convFront.activation().hfName());
        n.put("feat_proj_layer_norm", featureProjectionLayerNorm);
        n.put("num_conv_pos_embeddings", positionalConv.kernel());
        n.put("num_conv_pos_embedding_groups", positionalConv.groups());
        n.put("do_stable_layer_norm", transformer.preNorm());
        n.put("layer_norm_eps", transformer.layerNormEps());
        n.put("sample_rate", sampleRate);
        n.put("attention_relax", transformer.attentionRelax());
        n.put("deepnorm", transformer.deepnorm());
        // MERT's CQT input front; when off, its bin count as the source had it (else MERT's default)
        n.put("feature_extractor_cqt", cqtInputBins > 0);
        n.set(CQT_BINS, cqtInputBins > 0 ? IntNode.valueOf(cqtInputBins)
                : extra.has(CQT_BINS) ? extra.get(CQT_BINS) : IntNode.valueOf(336));
        n.put("hidden_dropout", dropout.hidden());
        n.put("attention_dropout", dropout.attention());
        n.put("activation_dropout", dropout.activation());
        n.put("feat_proj_dropout", dropout.featureProjection());
        n.put("layerdrop", dropout.layerdrop());
        n.put("mask_time_prob", masking.timeProb());
        n.put("mask_time_length", masking.timeLength());
        n.put("mask_time_min_masks", masking.timeMinMasks());
        n.put("mask_feature_prob", masking.featureProb());
        n.put("mask_feature_length", masking.featureLength());
        n.put("mask_feature_min_masks", masking.featureMinMasks());
        if (spectrogramFront != null) {
            n.put(FRONT_TYPE, "spectrogram");
            n.put("spectrogram_mels", spectrogramFront.nMels());
            n.put("spectrogram_cqt_bins", spectrogramFront.cqtBins());
            n.put("spectrogram_hop", spectrogramFront.hop());
            n.put("spectrogram_stack", spectrogramFront.stack());
        }
        Iterator<Map.Entry<String, JsonNode>> it = extra.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!n.has(e.getKey())) {
                n.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return n;
    }

    // ---- derived quantities ----

    /** Samples per output frame: the product of the conv strides (320 in every release), or hop x stack. */
    public int totalStride() {
        if (spectrogramFront != null) {
            return spectrogramFront.hop() * spectrogramFront.stack();
        }
        int s = 1;
        for (int v : convFront.strides()) {
            s *= v;
        }
        return s;
    }

    /**
     * Samples one frame sees: 400 in every release. For the spectrogram front, the fewest samples it takes: one
     * encoder frame and one FFT window (its reflection padding needs more samples than half a window).
     */
    public int receptiveField() {
        if (spectrogramFront != null) {
            return Math.max(totalStride(), SpectrogramFront.N_FFT);
        }
        int rf = 1;
        for (int i = convFront.layers() - 1; i >= 0; i--) {
            rf = (rf - 1) * convFront.strides().get(i) + convFront.kernels().get(i);
        }
        return rf;
    }

    /** Output frames of the conv front for {@code numSamples} input samples; 0 when too short. */
    public long framesFor(long numSamples) {
        if (spectrogramFront != null) {
            return numSamples < receptiveField() ? 0 : numSamples / totalStride();
        }
        long len = numSamples;
        for (int i = 0; i < convFront.layers(); i++) {
            int kernel = convFront.kernels().get(i);
            if (len < kernel) {
                return 0;
            }
            len = (len - kernel) / convFront.strides().get(i) + 1;
        }
        return len;
    }

    /** L+1: the transformer's input and every layer's output. */
    public int numHiddenStates() {
        return transformer.numLayers() + 1;
    }

    public double frameRate() {
        return (double) sampleRate / totalStride();
    }

    /** Whether the conv features are joined by the CQT of the waveform before the projection. */
    public boolean hasCqtInput() {
        return cqtInputBins > 0;
    }

    /** Width of the feature projection's input: the last conv layer's channels plus the CQT bins, if any. */
    public int projectionInputDim() {
        return frontOutputDim() + cqtInputBins;
    }

    /** Channels of the input front's frames: the last conv layer's, or the spectrogram front's. */
    public int frontOutputDim() {
        return spectrogramFront != null ? spectrogramFront.outputDim() : convFront.outputDim();
    }

    /** Whether the spectrogram front replaces the conv front (a model transformers' Hubert cannot load). */
    public boolean hasSpectrogramFront() {
        return spectrogramFront != null;
    }

    /** Whether the checkpoint carries {@code masked_spec_embed} (Hugging Face creates it only then). */
    public boolean hasMaskedSpecEmbed() {
        return masking.timeProb() > 0 || masking.featureProb() > 0;
    }

    // ---- presets of the released checkpoints (docs/model.md, "Configuration") ----

    public static MertConfig preset(String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", "mert_model");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "v0", "mert-v0" -> n.put("sample_rate", 16000);
            case "v1-95m", "95m", "mert-v1-95m" -> n.put("sample_rate", 24000);
            case "v1-330m", "330m", "mert-v1-330m" -> {
                n.put("sample_rate", 24000);
                n.put("hidden_size", 1024);
                n.put("num_hidden_layers", 24);
                n.put("num_attention_heads", 16);
                n.put("intermediate_size", 4096);
                // the released 330M pairs pre-LN with a `group` conv front: 315,428,992 parameters
                n.put("feat_extract_norm", "group");
                n.put("do_stable_layer_norm", true);
                n.put("attention_relax", 32.0);
                n.put("hidden_dropout", 0.0);
                n.put("attention_dropout", 0.0);
                n.put("activation_dropout", 0.0);
            }
            case "tiny" -> {
                n.put("sample_rate", 24000);
                n.put("hidden_size", 64);
                n.put("num_hidden_layers", 2);
                n.put("num_attention_heads", 4);
                n.put("intermediate_size", 128);
                putInts(n.putArray("conv_dim"), List.of(32, 32, 32, 32, 32, 32, 32));
                n.put("num_conv_pos_embeddings", 16);
                n.put("num_conv_pos_embedding_groups", 4);
            }
            case "small" -> {
                // sized for pretraining on CPU: 5.6M parameters, about 2.8 s per update of 4 x 5 s on 2 cores
                n.put("sample_rate", 24000);
                n.put("hidden_size", 256);
                n.put("num_hidden_layers", 6);
                n.put("num_attention_heads", 4);
                n.put("intermediate_size", 1024);
                putInts(n.putArray("conv_dim"), List.of(128, 128, 128, 128, 128, 128, 128));
                n.put("num_conv_pos_embeddings", 128);
                n.put("num_conv_pos_embedding_groups", 16);
            }
            case "cpu" -> {
                // the CPU recipe's encoder (docs/pretraining.md, "The CPU recipe"): the spectrogram front at 25
                // frames/s (log-mel and log-CQT every 40/3 ms, 3 frames stacked), pre-LN, the width of small
                n.put("model_type", "mert4j_spectrogram");
                n.put("sample_rate", 24000);
                n.put(FRONT_TYPE, "spectrogram");
                n.put("hidden_size", 256);
                n.put("num_hidden_layers", 6);
                n.put("num_attention_heads", 4);
                n.put("intermediate_size", 1024);
                n.put("do_stable_layer_norm", true);
                n.put("num_conv_pos_embeddings", 32);
                n.put("num_conv_pos_embedding_groups", 16);
            }
            default -> throw new ConfigException("unknown preset '" + name
                    + "': expected v0, v1-95m, v1-330m, small, cpu or tiny");
        }
        return fromJson(n);
    }

    // ---- validation ----

    private static void positive(String key, long v, long max) {
        if (v <= 0 || v > max) {
            throw new ConfigException(key + " must be in [1, " + max + "], found " + v);
        }
    }

    private static void probability(String key, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new ConfigException(key + ": dropout and masking probabilities must lie in [0, 1], found " + p);
        }
    }

    private static Activation activation(String key, String name) {
        try {
            return Activation.of(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " '" + name + "' is not supported; supported: " + Activation.names());
        }
    }

    private static void refuseTrue(ObjectNode n, String key, String what) {
        if (n.has(key) && n.get(key).asBoolean(false)) {
            throw new ConfigException(key + " = true: " + what);
        }
    }

    private static void putInts(ArrayNode a, List<Integer> v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static final String CQT_BINS = "feature_extractor_cqt_bins";
    private static final String FRONT_TYPE = "feature_extractor_type";

    /**
     * The keys the fields above come from; {@code feature_extractor_cqt_bins} stays among the extras (it is
     * read only when {@code feature_extractor_cqt} is true).
     */
    private static final Set<String> KNOWN_KEYS = Set.of("model_type", "architectures", "hidden_size",
            "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act", "conv_dim", "conv_kernel",
            "conv_stride", "num_feat_extract_layers", "conv_bias", "feat_extract_norm", "feat_extract_activation",
            "feat_proj_layer_norm", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups",
            "do_stable_layer_norm", "layer_norm_eps", "sample_rate", "attention_relax", "deepnorm",
            "feature_extractor_cqt", "hidden_dropout", "attention_dropout", "activation_dropout", "feat_proj_dropout",
            "layerdrop", "mask_time_prob", "mask_time_length", "mask_time_min_masks", "mask_feature_prob",
            "mask_feature_length", "mask_feature_min_masks", FRONT_TYPE, "spectrogram_mels", "spectrogram_cqt_bins",
            "spectrogram_hop", "spectrogram_stack");

    /** Typed reads that name the key when the JSON value has the wrong type. */
    private record Reader(ObjectNode n) {
        int integer(String key, int dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.canConvertToInt() || !(v.isIntegralNumber() || (v.isNumber() && v.asDouble() == v.asInt()))) {
                throw new ConfigException(key + " must be an integer, found " + v);
            }
            return v.asInt();
        }

        double dbl(String key, double dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw new ConfigException(key + " must be a number, found " + v);
            }
            return v.asDouble();
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new ConfigException(key + " must be true or false, found " + v);
            }
            return v.asBoolean();
        }

        String str(String key, String dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isTextual()) {
                throw new ConfigException(key + " must be a string, found " + v);
            }
            return v.asText();
        }

        List<Integer> ints(String key, List<Integer> dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isArray()) {
                throw new ConfigException(key + " must be a list of integers, found " + v);
            }
            List<Integer> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isIntegralNumber()) {
                    throw new ConfigException(key + "[" + i + "] must be an integer, found " + v.get(i));
                }
                out.add(v.get(i).asInt());
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "MertConfig[" + modelType + ", H=" + transformer.hiddenSize() + ", L=" + transformer.numLayers()
                + ", heads=" + transformer.numHeads() + ", FFN=" + transformer.intermediateSize() + ", "
                + (transformer.preNorm() ? "pre-LN" : "post-LN") + ", "
                + (spectrogramFront != null ? "spectrogram " + spectrogramFront : "conv " + convFront.norm() + " "
                + convFront.dims()) + ", " + sampleRate + " Hz]";
    }
}
