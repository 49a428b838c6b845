package org.mert4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The encoder's hyper-parameters, read from a Hugging Face {@code config.json} (SPEC 1.1).
 * Keys keep their Hugging Face names in JSON; unknown keys are tolerated and kept for export;
 * a key whose value changes the maths in a way mert4j does not implement is refused by name.
 */
public record MertConfig(
        String modelType,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        int[] convDim,
        int[] convKernel,
        int[] convStride,
        boolean convBias,
        String featExtractNorm,
        String featExtractActivation,
        boolean featProjLayerNorm,
        int numConvPosEmbeddings,
        int numConvPosEmbeddingGroups,
        boolean doStableLayerNorm,
        double layerNormEps,
        int sampleRate,
        double attentionRelax,
        boolean deepnorm,
        boolean featureExtractorCqt,
        int featureExtractorCqtBins,
        double hiddenDropout,
        double attentionDropout,
        double activationDropout,
        double featProjDropout,
        double layerdrop,
        double maskTimeProb,
        int maskTimeLength,
        int maskTimeMinMasks,
        double maskFeatureProb,
        int maskFeatureLength,
        int maskFeatureMinMasks,
        ObjectNode extra) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> ACTIVATIONS = Set.of("gelu", "relu", "gelu_new", "gelu_pytorch_tanh", "silu", "swish");
    private static final int MAX_DIM = 1 << 16;
    private static final int MAX_LAYERS = 1024;

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
        String modelType = r.str("model_type", "mert_model");
        refuseTrue(n, "conv_pos_batch_norm", "the positional convolution with batch norm (conv_pos_batch_norm)"
                + " is not part of MERT");
        refuseTrue(n, "feature_extractor_cqt", "CQT features concatenated to the conv front"
                + " (feature_extractor_cqt) are not supported; no released MERT checkpoint uses them");
        int[] convDim = r.ints("conv_dim", new int[] {512, 512, 512, 512, 512, 512, 512});
        if (n.has("num_feat_extract_layers") && n.get("num_feat_extract_layers").asInt() != convDim.length) {
            throw new ConfigException("num_feat_extract_layers = " + n.get("num_feat_extract_layers").asInt()
                    + " but conv_dim has " + convDim.length + " entries");
        }
        ObjectNode extra = n.deepCopy();
        extra.remove(KNOWN_KEYS);
        MertConfig c = new MertConfig(
                modelType,
                r.integer("hidden_size", 768),
                r.integer("num_hidden_layers", 12),
                r.integer("num_attention_heads", 12),
                r.integer("intermediate_size", 3072),
                r.str("hidden_act", "gelu"),
                convDim,
                r.ints("conv_kernel", new int[] {10, 3, 3, 3, 3, 2, 2}),
                r.ints("conv_stride", new int[] {5, 2, 2, 2, 2, 2, 2}),
                r.bool("conv_bias", false),
                r.str("feat_extract_norm", "group"),
                r.str("feat_extract_activation", "gelu"),
                r.bool("feat_proj_layer_norm", true),
                r.integer("num_conv_pos_embeddings", 128),
                r.integer("num_conv_pos_embedding_groups", 16),
                r.bool("do_stable_layer_norm", false),
                r.dbl("layer_norm_eps", 1e-5),
                r.integer("sample_rate", 16000),
                r.dbl("attention_relax", -1.0),
                r.bool("deepnorm", false),
                false,
                r.integer("feature_extractor_cqt_bins", 336),
                r.dbl("hidden_dropout", 0.1),
                r.dbl("attention_dropout", 0.1),
                r.dbl("activation_dropout", 0.1),
                r.dbl("feat_proj_dropout", 0.0),
                r.dbl("layerdrop", 0.1),
                r.dbl("mask_time_prob", 0.05),
                r.integer("mask_time_length", 10),
                r.integer("mask_time_min_masks", 2),
                r.dbl("mask_feature_prob", 0.0),
                r.integer("mask_feature_length", 10),
                r.integer("mask_feature_min_masks", 0),
                extra);
        validate(c);
        return c;
    }

    /** The Hugging Face {@code config.json} of this configuration, unknown keys of the source included. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", modelType);
        n.putArray("architectures").add(modelType.equals("hubert") ? "HubertModel" : "MERTModel");
        n.put("hidden_size", hiddenSize);
        n.put("num_hidden_layers", numHiddenLayers);
        n.put("num_attention_heads", numAttentionHeads);
        n.put("intermediate_size", intermediateSize);
        n.put("hidden_act", hiddenAct);
        putInts(n.putArray("conv_dim"), convDim);
        putInts(n.putArray("conv_kernel"), convKernel);
        putInts(n.putArray("conv_stride"), convStride);
        n.put("num_feat_extract_layers", convDim.length);
        n.put("conv_bias", convBias);
        n.put("feat_extract_norm", featExtractNorm);
        n.put("feat_extract_activation", featExtractActivation);
        n.put("feat_proj_layer_norm", featProjLayerNorm);
        n.put("num_conv_pos_embeddings", numConvPosEmbeddings);
        n.put("num_conv_pos_embedding_groups", numConvPosEmbeddingGroups);
        n.put("do_stable_layer_norm", doStableLayerNorm);
        n.put("layer_norm_eps", layerNormEps);
        n.put("sample_rate", sampleRate);
        n.put("attention_relax", attentionRelax);
        n.put("deepnorm", deepnorm);
        n.put("feature_extractor_cqt", featureExtractorCqt);
        n.put("feature_extractor_cqt_bins", featureExtractorCqtBins);
        n.put("hidden_dropout", hiddenDropout);
        n.put("attention_dropout", attentionDropout);
        n.put("activation_dropout", activationDropout);
        n.put("feat_proj_dropout", featProjDropout);
        n.put("layerdrop", layerdrop);
        n.put("mask_time_prob", maskTimeProb);
        n.put("mask_time_length", maskTimeLength);
        n.put("mask_time_min_masks", maskTimeMinMasks);
        n.put("mask_feature_prob", maskFeatureProb);
        n.put("mask_feature_length", maskFeatureLength);
        n.put("mask_feature_min_masks", maskFeatureMinMasks);
        if (extra != null) {
            Iterator<Map.Entry<String, JsonNode>> it = extra.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!n.has(e.getKey())) {
                    n.set(e.getKey(), e.getValue());
                }
            }
        }
        return n;
    }

    // ---- derived quantities ----

    /** Samples per output frame: the product of the conv strides (320 in every release). */
    public int totalStride() {
        int s = 1;
        for (int v : convStride) {
            s *= v;
        }
        return s;
    }

    /** Samples one frame sees: 400 in every release. */
    public int receptiveField() {
        int rf = 1;
        for (int i = convKernel.length - 1; i >= 0; i--) {
            rf = (rf - 1) * convStride[i] + convKernel[i];
        }
        return rf;
    }

    /** Output frames of the conv front for {@code numSamples} input samples; 0 when too short. */
    public long framesFor(long numSamples) {
        long len = numSamples;
        for (int i = 0; i < convKernel.length; i++) {
            if (len < convKernel[i]) {
                return 0;
            }
            len = (len - convKernel[i]) / convStride[i] + 1;
        }
        return len;
    }

    public double frameRate() {
        return (double) sampleRate / totalStride();
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Whether the checkpoint carries {@code masked_spec_embed} (Hugging Face creates it only then). */
    public boolean hasMaskedSpecEmbed() {
        return maskTimeProb > 0 || maskFeatureProb > 0;
    }

    // ---- presets of the released checkpoints (SPEC 1.1) ----

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
                putInts(n.putArray("conv_dim"), new int[] {32, 32, 32, 32, 32, 32, 32});
                n.put("num_conv_pos_embeddings", 16);
                n.put("num_conv_pos_embedding_groups", 4);
            }
            default -> throw new ConfigException("unknown preset '" + name + "': expected v0, v1-95m, v1-330m or tiny");
        }
        return fromJson(n);
    }

    // ---- validation ----

    private static void validate(MertConfig c) {
        positive("hidden_size", c.hiddenSize, MAX_DIM);
        positive("num_hidden_layers", c.numHiddenLayers, MAX_LAYERS);
        positive("num_attention_heads", c.numAttentionHeads, MAX_DIM);
        positive("intermediate_size", c.intermediateSize, 8 * MAX_DIM);
        positive("num_conv_pos_embeddings", c.numConvPosEmbeddings, MAX_DIM);
        positive("num_conv_pos_embedding_groups", c.numConvPosEmbeddingGroups, MAX_DIM);
        positive("sample_rate", c.sampleRate, 1_000_000);
        if (c.hiddenSize % c.numAttentionHeads != 0) {
            throw new ConfigException("hidden_size " + c.hiddenSize + " is not divisible by num_attention_heads "
                    + c.numAttentionHeads);
        }
        if (c.hiddenSize % c.numConvPosEmbeddingGroups != 0) {
            throw new ConfigException("hidden_size " + c.hiddenSize + " is not divisible by"
                    + " num_conv_pos_embedding_groups " + c.numConvPosEmbeddingGroups);
        }
        if (c.convDim.length == 0 || c.convDim.length != c.convKernel.length
                || c.convDim.length != c.convStride.length) {
            throw new ConfigException("conv_dim, conv_kernel and conv_stride must have the same non-zero length,"
                    + " found " + c.convDim.length + ", " + c.convKernel.length + " and " + c.convStride.length);
        }
        for (int i = 0; i < c.convDim.length; i++) {
            positive("conv_dim[" + i + "]", c.convDim[i], MAX_DIM);
            positive("conv_kernel[" + i + "]", c.convKernel[i], MAX_DIM);
            positive("conv_stride[" + i + "]", c.convStride[i], MAX_DIM);
        }
        if (!c.featExtractNorm.equals("group") && !c.featExtractNorm.equals("layer")) {
            throw new ConfigException("feat_extract_norm must be 'group' or 'layer', found '" + c.featExtractNorm + "'");
        }
        if (!ACTIVATIONS.contains(c.hiddenAct)) {
            throw new ConfigException("hidden_act '" + c.hiddenAct + "' is not supported; supported: " + ACTIVATIONS);
        }
        if (!ACTIVATIONS.contains(c.featExtractActivation)) {
            throw new ConfigException("feat_extract_activation '" + c.featExtractActivation
                    + "' is not supported; supported: " + ACTIVATIONS);
        }
        if (c.featureExtractorCqt) {
            throw new ConfigException("feature_extractor_cqt = true is not supported");
        }
        if (c.doStableLayerNorm && c.deepnorm) {
            throw new ConfigException("deepnorm = true needs post-LN, but do_stable_layer_norm = true");
        }
        if (!(c.layerNormEps > 0) || c.layerNormEps > 1) {
            throw new ConfigException("layer_norm_eps must be in (0, 1], found " + c.layerNormEps);
        }
        for (double[] p : new double[][] {{c.hiddenDropout}, {c.attentionDropout}, {c.activationDropout},
                {c.featProjDropout}, {c.layerdrop}, {c.maskTimeProb}, {c.maskFeatureProb}}) {
            if (!(p[0] >= 0 && p[0] <= 1)) {
                throw new ConfigException("dropout and masking probabilities must lie in [0, 1], found " + p[0]);
            }
        }
    }

    private static void positive(String key, long v, long max) {
        if (v <= 0 || v > max) {
            throw new ConfigException(key + " must be in [1, " + max + "], found " + v);
        }
    }

    private static void refuseTrue(ObjectNode n, String key, String what) {
        if (n.has(key) && n.get(key).asBoolean(false)) {
            throw new ConfigException(key + " = true: " + what);
        }
    }

    private static void putInts(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static final Set<String> KNOWN_KEYS = Set.of("model_type", "architectures", "hidden_size",
            "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act", "conv_dim", "conv_kernel",
            "conv_stride", "num_feat_extract_layers", "conv_bias", "feat_extract_norm", "feat_extract_activation",
            "feat_proj_layer_norm", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups",
            "do_stable_layer_norm", "layer_norm_eps", "sample_rate", "attention_relax", "deepnorm",
            "feature_extractor_cqt", "feature_extractor_cqt_bins", "hidden_dropout", "attention_dropout",
            "activation_dropout", "feat_proj_dropout", "layerdrop", "mask_time_prob", "mask_time_length",
            "mask_time_min_masks", "mask_feature_prob", "mask_feature_length", "mask_feature_min_masks");

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

        int[] ints(String key, int[] dflt) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return dflt.clone();
            }
            if (!v.isArray()) {
                throw new ConfigException(key + " must be a list of integers, found " + v);
            }
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber()) {
                    throw new ConfigException(key + "[" + i + "] must be an integer, found " + v.get(i));
                }
                out[i] = v.get(i).asInt();
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "MertConfig[" + modelType + ", H=" + hiddenSize + ", L=" + numHiddenLayers + ", heads="
                + numAttentionHeads + ", FFN=" + intermediateSize + ", " + (doStableLayerNorm ? "pre-LN" : "post-LN")
                + ", conv " + featExtractNorm + " " + Arrays.toString(convDim) + ", " + sampleRate + " Hz]";
    }
}
