package org.mert4j.teacher.encodec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fields of a Hugging Face {@code EncodecConfig} (config.json, {@code model_type: encodec}) that the
 * encoder and quantiser read; absent keys take transformers' defaults (the facebook/encodec_24khz values).
 */
public record EncodecConfig(
        int samplingRate,
        int audioChannels,
        boolean normalize,
        Double chunkLengthS,
        int hiddenSize,
        int numFilters,
        int numResidualLayers,
        int[] upsamplingRatios,
        String normType,
        int kernelSize,
        int lastKernelSize,
        int residualKernelSize,
        int dilationGrowthRate,
        boolean useCausalConv,
        String padMode,
        int compress,
        int numLstmLayers,
        int codebookSize,
        int codebookDim,
        boolean useConvShortcut,
        double[] targetBandwidths) {

    public static final String MODEL_TYPE = "encodec";

    /** The facebook/encodec_24khz configuration. */
    public static EncodecConfig encodec24khz() {
        return new EncodecConfig(24000, 1, false, null, 128, 32, 1, new int[] {8, 5, 4, 2}, "weight_norm", 7, 7, 3,
                2, true, "reflect", 2, 2, 1024, 128, true, new double[] {1.5, 3.0, 6.0, 12.0, 24.0});
    }

    public EncodecConfig {
        if (!normType.equals("weight_norm") && !normType.equals("time_group_norm")) {
            throw new IllegalArgumentException("norm_type must be weight_norm or time_group_norm, got " + normType);
        }
        if (Integer.bitCount(codebookSize) != 1) {
            throw new IllegalArgumentException("codebook_size must be a power of 2, got " + codebookSize);
        }
        if (upsamplingRatios.length == 0 || targetBandwidths.length == 0) {
            throw new IllegalArgumentException("upsampling_ratios and target_bandwidths must not be empty");
        }
    }

    public static EncodecConfig fromJson(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable config.json: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        String type = n.path("model_type").asText("");
        if (!type.equals(MODEL_TYPE)) {
            throw new IllegalArgumentException(file + ": model_type is '" + type + "', expected '" + MODEL_TYPE + "'");
        }
        EncodecConfig d = encodec24khz();
        try {
            int hidden = n.path("hidden_size").asInt(d.hiddenSize);
            JsonNode cd = n.get("codebook_dim");
            return new EncodecConfig(
                    n.path("sampling_rate").asInt(d.samplingRate),
                    n.path("audio_channels").asInt(d.audioChannels),
                    n.path("normalize").asBoolean(d.normalize),
                    n.hasNonNull("chunk_length_s") ? n.get("chunk_length_s").asDouble() : null,
                    hidden,
                    n.path("num_filters").asInt(d.numFilters),
                    n.path("num_residual_layers").asInt(d.numResidualLayers),
                    n.has("upsampling_ratios") ? ints(n.get("upsampling_ratios")) : d.upsamplingRatios,
                    n.path("norm_type").asText(d.normType),
                    n.path("kernel_size").asInt(d.kernelSize),
                    n.path("last_kernel_size").asInt(d.lastKernelSize),
                    n.path("residual_kernel_size").asInt(d.residualKernelSize),
                    n.path("dilation_growth_rate").asInt(d.dilationGrowthRate),
                    n.path("use_causal_conv").asBoolean(d.useCausalConv),
                    n.path("pad_mode").asText(d.padMode),
                    n.path("compress").asInt(d.compress),
                    n.path("num_lstm_layers").asInt(d.numLstmLayers),
                    n.path("codebook_size").asInt(d.codebookSize),
                    cd == null || cd.isNull() ? hidden : cd.asInt(),
                    n.path("use_conv_shortcut").asBoolean(d.useConvShortcut),
                    n.has("target_bandwidths") ? doubles(n.get("target_bandwidths")) : d.targetBandwidths);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Samples per code frame: the product of the ratios (320 for the 24 kHz model). */
    public int hopLength() {
        return Arrays.stream(upsamplingRatios).reduce(1, (a, b) -> a * b);
    }

    /** ceil(sampling_rate / hop), as transformers rounds it (75 Hz). */
    public int frameRate() {
        return (samplingRate + hopLength() - 1) / hopLength();
    }

    public int codebookBits() {
        return Integer.numberOfTrailingZeros(codebookSize);
    }

    /** Quantiser layers in the checkpoint: enough for the largest target bandwidth. */
    public int numQuantizers() {
        return (int) Math.floor(1000 * targetBandwidths[targetBandwidths.length - 1] / (frameRate() * codebookBits()));
    }

    /** Quantisers used at {@code kbps} (6.0 -> 8 for the 24 kHz model); must be one of target_bandwidths. */
    public int quantizersFor(double kbps) {
        boolean known = Arrays.stream(targetBandwidths).anyMatch(b -> b == kbps);
        if (!known) {
            throw new IllegalArgumentException("bandwidth " + kbps + " kbps is not one of the model's target_bandwidths "
                    + Arrays.toString(targetBandwidths));
        }
        int n = (int) Math.max(1, Math.floor(kbps * 1000 / (Math.log(codebookSize) / Math.log(2) * frameRate())));
        return Math.min(n, numQuantizers());
    }

    private static int[] ints(JsonNode a) {
        if (!a.isArray()) {
            throw new IllegalArgumentException("expected an array of integers, found " + a);
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        if (!a.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers, found " + a);
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return "EncodecConfig[" + samplingRate + " Hz, filters " + numFilters + ", hidden " + hiddenSize + ", ratios "
                + Arrays.toString(upsamplingRatios) + ", " + (useCausalConv ? "causal" : "non-causal") + ", " + normType
                + ", codebook " + codebookSize + "x" + codebookDim + ", " + numQuantizers() + " quantizers]";
    }
}
