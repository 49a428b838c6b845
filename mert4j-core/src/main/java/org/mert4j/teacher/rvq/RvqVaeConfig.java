package org.mert4j.teacher.rvq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Shape of mert4j's residual-VQ autoencoder teacher ({@code model_type: mert4j_rvq_vae}): a conv encoder
 * whose strides multiply to the hop (320 at 24 kHz gives 75 Hz, like EnCodec), {@code numCodebooks}
 * codebooks of {@code codebookSize} entries of {@code latentDim} values, and a mirrored decoder.
 *
 * @param channels   width of the first conv; doubled by each downsampling stage
 * @param strides    downsampling factors in encoder order
 * @param emaDecay   decay of the exponential moving averages that update the codebooks
 * @param commitment weight of the commitment loss |z - sg(q)|^2
 */
public record RvqVaeConfig(int sampleRate, int channels, int[] strides, int latentDim, int numCodebooks,
        int codebookSize, double emaDecay, double commitment) {

    public static final String MODEL_TYPE = "mert4j_rvq_vae";

    /** 24 kHz, 75 Hz, 8 x 1024 codes: EnCodec's code format. */
    public static RvqVaeConfig defaults() {
        return new RvqVaeConfig(24000, 16, new int[] {2, 4, 5, 8}, 64, 8, 1024, 0.99, 0.25);
    }

    public RvqVaeConfig {
        if (sampleRate <= 0 || channels <= 0 || latentDim <= 0 || numCodebooks <= 0 || codebookSize < 2) {
            throw new IllegalArgumentException("sample rate, channels, latent size and codebook count must be positive"
                    + " and codebooks need at least 2 entries: " + sampleRate + ", " + channels + ", " + latentDim + ", "
                    + numCodebooks + ", " + codebookSize);
        }
        if (strides.length == 0 || Arrays.stream(strides).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("strides must be positive, got " + Arrays.toString(strides));
        }
        if (!(emaDecay > 0 && emaDecay < 1) || commitment < 0) {
            throw new IllegalArgumentException("ema decay must be in (0, 1) and commitment >= 0: " + emaDecay + ", " + commitment);
        }
        strides = strides.clone();
    }

    public RvqVaeConfig withCodebooks(int k, int size) {
        return new RvqVaeConfig(sampleRate, channels, strides, latentDim, k, size, emaDecay, commitment);
    }

    public int hopLength() {
        return Arrays.stream(strides).reduce(1, (a, b) -> a * b);
    }

    public double frameRate() {
        return (double) sampleRate / hopLength();
    }

    public ObjectNode toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("model_type", MODEL_TYPE);
        n.put("sampling_rate", sampleRate);
        n.put("channels", channels);
        n.set("strides", m.valueToTree(strides));
        n.put("latent_dim", latentDim);
        n.put("num_codebooks", numCodebooks);
        n.put("codebook_size", codebookSize);
        n.put("ema_decay", emaDecay);
        n.put("commitment", commitment);
        n.put("hop_length", hopLength());
        n.put("frame_rate", frameRate());
        return n;
    }

    public static RvqVaeConfig fromJson(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable config.json: " + e.getMessage(), e);
        }
        if (n == null || !MODEL_TYPE.equals(n.path("model_type").asText())) {
            throw new IllegalArgumentException(file + ": model_type is '" + (n == null ? "" : n.path("model_type").asText())
                    + "', expected '" + MODEL_TYPE + "'");
        }
        for (String key : new String[] {"sampling_rate", "channels", "strides", "latent_dim", "num_codebooks", "codebook_size"}) {
            if (!n.has(key)) {
                throw new IllegalArgumentException(file + ": missing key '" + key + "'");
            }
        }
        int[] strides = new int[n.get("strides").size()];
        for (int i = 0; i < strides.length; i++) {
            strides[i] = n.get("strides").get(i).asInt();
        }
        try {
            return new RvqVaeConfig(n.get("sampling_rate").asInt(), n.get("channels").asInt(), strides,
                    n.get("latent_dim").asInt(), n.get("num_codebooks").asInt(), n.get("codebook_size").asInt(),
                    n.path("ema_decay").asDouble(0.99), n.path("commitment").asDouble(0.25));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RvqVaeConfig[" + sampleRate + " Hz, channels " + channels + ", strides " + Arrays.toString(strides)
                + " (hop " + hopLength() + "), latent " + latentDim + ", " + numCodebooks + "x" + codebookSize + " codes]";
    }
}
