package org.mert4j.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.io.AtomicFiles;

/**
 * How a set of embeddings was made, stored with them so that a reader knows which hidden state each row
 * holds and a rerun knows whether the outputs are still what it would compute:
 * <ul>
 *   <li>a folder of {@code .npy} or {@code .safetensors} files has the sidecar {@value #FOLDER_FILE} inside;</li>
 *   <li>a single {@code .npy} file or a JSON Lines file has the sidecar {@code <file>.json} next to it;</li>
 *   <li>every {@code .safetensors} file also carries the same fields as string metadata in its header.</li>
 * </ul>
 *
 * @param model        the model's display name (folder name, or preset:NAME)
 * @param fingerprint  what identifies the model's weights ({@link ModelFingerprint}), or preset:NAME
 * @param hiddenStates how many hidden states the model has (L+1): negative indices count back from it
 * @param layers       the hidden state each row of an embedding holds, in row order
 * @param pool         mean or none
 * @param window       window length in seconds as text ("5", "1.5"), or "none"
 * @param sampleRate   the model's sample rate
 */
public record EmbeddingInfo(String model, String fingerprint, int hiddenStates, int[] layers, String pool,
                            String window, int sampleRate) {
    public static final String FOLDER_FILE = "mert-embed.json";
    public static final String FORMAT = "mert4j-embedding";
    private static final ObjectMapper JSON = new ObjectMapper();

    public EmbeddingInfo {
        layers = layers.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** The sidecar of an output: {@value #FOLDER_FILE} inside a folder, {@code <file>.json} next to a file. */
    public static Path sidecarOf(Path output, boolean folder) {
        return folder ? output.resolve(FOLDER_FILE) : output.resolveSibling(output.getFileName() + ".json");
    }

    /**
     * The row of hidden state {@code layer} in these embeddings (a negative index counts back from the
     * last hidden state, as in Python), or -1 if they do not hold it.
     */
    public int rowOf(int layer) {
        int state = layer < 0 ? hiddenStates + layer : layer;
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == state) {
                return i;
            }
        }
        return -1;
    }

    /** What differs from {@code wanted}, one phrase per setting ("layers 0,1,2 recorded, 1 wanted"); empty if nothing. */
    public List<String> differences(EmbeddingInfo wanted) {
        List<String> d = new ArrayList<>();
        if (!fingerprint.equals(wanted.fingerprint)) {
            d.add("model " + model + " recorded, " + wanted.model + " wanted"
                    + (model.equals(wanted.model) ? " (other weights)" : ""));
        }
        if (!Arrays.equals(layers, wanted.layers)) {
            d.add("layers " + join(layers) + " recorded, " + join(wanted.layers) + " wanted");
        }
        if (!pool.equals(wanted.pool)) {
            d.add("pool " + pool + " recorded, " + wanted.pool + " wanted");
        }
        if (!window.equals(wanted.window)) {
            d.add("window " + window + " recorded, " + wanted.window + " wanted");
        }
        return d;
    }

    /** A window length as the record holds it: whole seconds without a decimal point, {@code none} for the whole file. */
    public static String describeWindow(double seconds) {
        if (!(seconds > 0)) {
            return "none";
        }
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    public static String join(int[] layers) {
        StringBuilder s = new StringBuilder();
        for (int l : layers) {
            s.append(s.length() == 0 ? "" : ",").append(l);
        }
        return s.toString();
    }

    /** The fields as safetensors string metadata. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("model", model);
        m.put("model_fingerprint", fingerprint);
        m.put("hidden_states", String.valueOf(hiddenStates));
        m.put("layers", join(layers));
        m.put("window_s", window);
        m.put("pool", pool);
        m.put("sample_rate", String.valueOf(sampleRate));
        return m;
    }

    /** The record in safetensors metadata, or null if the metadata has none (written by an older mert4j). */
    public static EmbeddingInfo fromMetadata(Map<String, String> m, Path file) {
        if (!FORMAT.equals(m.get("format")) || !m.containsKey("model_fingerprint")) {
            return null;
        }
        try {
            int[] layers = m.get("layers").isEmpty() ? new int[0]
                    : Arrays.stream(m.get("layers").split(",")).mapToInt(Integer::parseInt).toArray();
            return new EmbeddingInfo(m.get("model"), m.get("model_fingerprint"), Integer.parseInt(m.get("hidden_states")),
                    layers, m.get("pool"), m.get("window_s"), Integer.parseInt(m.get("sample_rate")));
        } catch (RuntimeException e) {
            throw new ConfigException(file + ": damaged embedding metadata " + m + ": " + e.getMessage());
        }
    }

    public void write(Path sidecar) throws IOException {
        byte[] bytes = toJson();
        AtomicFiles.write(sidecar, out -> out.write(bytes));
    }

    /** The sidecar's contents, as {@link #write} writes them. */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("model", model);
        n.put("model_fingerprint", fingerprint);
        n.put("hidden_states", hiddenStates);
        var a = n.putArray("layers");
        for (int l : layers) {
            a.add(l);
        }
        n.put("pool", pool);
        n.put("window_s", window);
        n.put("sample_rate", sampleRate);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serialises
        }
    }

    /** Reads a sidecar; null if it does not exist; a {@link ConfigException} naming the file if it is damaged. */
    public static EmbeddingInfo read(Path sidecar) {
        if (!Files.isRegularFile(sidecar)) {
            return null;
        }
        try {
            return parse(Files.readAllBytes(sidecar), sidecar.toString());
        } catch (IOException e) {
            throw new ConfigException(sidecar + ": cannot read: " + e.getMessage());
        }
    }

    /** A sidecar's contents, read from {@code where} (named in errors). */
    public static EmbeddingInfo parse(byte[] json, String where) {
        Object sidecar = where;
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new ConfigException(sidecar + ": not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText())) {
            throw new ConfigException(sidecar + ": not a mert4j embedding record (expected \"format\": \"" + FORMAT
                    + "\")");
        }
        for (String key : List.of("model", "model_fingerprint", "hidden_states", "layers", "pool", "window_s",
                "sample_rate")) {
            if (!n.hasNonNull(key)) {
                throw new ConfigException(sidecar + ": missing '" + key + "'");
            }
        }
        JsonNode a = n.get("layers");
        if (!a.isArray()) {
            throw new ConfigException(sidecar + ": 'layers' must be a list of hidden-state indices");
        }
        int[] layers = new int[a.size()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = a.get(i).asInt();
        }
        return new EmbeddingInfo(n.get("model").asText(), n.get("model_fingerprint").asText(),
                n.get("hidden_states").asInt(), layers, n.get("pool").asText(), n.get("window_s").asText(),
                n.get("sample_rate").asInt());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingInfo e && model.equals(e.model) && fingerprint.equals(e.fingerprint)
                && hiddenStates == e.hiddenStates && Arrays.equals(layers, e.layers) && pool.equals(e.pool)
                && window.equals(e.window) && sampleRate == e.sampleRate;
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode() * 31 + Arrays.hashCode(layers);
    }

    @Override
    public String toString() {
        return "model " + model + ", hidden states " + join(layers) + " of 0.." + (hiddenStates - 1) + ", pool " + pool
                + ", window " + window;
    }
}
