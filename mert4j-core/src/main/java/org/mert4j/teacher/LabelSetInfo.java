package org.mert4j.teacher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.io.AtomicFiles;
import org.mert4j.model.MertConfig;

/**
 * The {@value #FILE_NAME} of a label folder: which teacher wrote it, at what frame and sample rate, for
 * which manifest (file name, and a hash of its rows) and how many rows, and its streams in order:
 * <pre>{@code
 * {"teacher": "hubert-kmeans", "frame_rate": 75, "sample_rate": 24000, "manifest": "train.tsv",
 *  "manifest_sha256": "3f2a...", "rows": 1000, "streams": [{"name": "hubert_l6_km500", "classes": 500}],
 *  "params": {"k": "500", ...}}
 * }</pre>
 * The hash ({@link Manifest#rowsSha256}) ties the labels to the rows they were computed from: a manifest
 * regenerated over other files, even with as many rows, no longer matches.
 *
 * @param params         free-form settings of the teacher (k-means file, layer, ...), for the record
 * @param manifestSha256 the hash of the manifest's rows, or null in folders written by an older mert4j
 * @param manifestRoot   the manifest's root folder, or null: continuing labels needs the same root (other
 *                       audio may sit under the same relative paths elsewhere), reading them for training
 *                       does not (a corpus copied to a cluster keeps its rows, not its root)
 */
public record LabelSetInfo(String teacher, double frameRate, int sampleRate, String manifest, int rows,
                           List<LabelStream> streams, Map<String, String> params, String manifestSha256,
                           String manifestRoot) {
    public static final String FILE_NAME = "labels.json";
    /** How far a row's frame count may be from the encoder's count for its length (teachers pad or trim edges). */
    public static final int FRAME_TOLERANCE = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every MERT and HuBERT conv front end: receptive field 400 samples, stride 320, at any sample rate. */
    private static final MertConfig CONV = MertConfig.preset("v1-95m");

    public LabelSetInfo {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("a label set needs at least one stream");
        }
        if (rows < 0 || sampleRate < 1 || !(frameRate > 0)) {
            throw new IllegalArgumentException("rows, sample rate and frame rate must be positive");
        }
        streams = List.copyOf(streams);
        params = Map.copyOf(params);
    }

    /** A description without the manifest hash. */
    public LabelSetInfo(String teacher, double frameRate, int sampleRate, String manifest, int rows,
                        List<LabelStream> streams, Map<String, String> params) {
        this(teacher, frameRate, sampleRate, manifest, rows, streams, params, null, null);
    }

    /**
     * The encoder's frame count for a clip of {@code numSamples}: floor((N - 400) / 320) + 1, or 0 below 400,
     * the conv front end's arithmetic (75 Hz at 24 kHz, 50 Hz at 16 kHz).
     */
    public static long encoderFrames(long numSamples) {
        return CONV.framesFor(numSamples);
    }

    public static LabelSetInfo read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new LabelFormatException(dir + ": not a label folder (no " + FILE_NAME + ")");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            List<LabelStream> streams = new ArrayList<>();
            JsonNode s = need(n, "streams", file);
            if (!s.isArray()) {
                throw new LabelFormatException(file + ": 'streams' must be a list");
            }
            for (JsonNode e : s) {
                streams.add(new LabelStream(need(e, "name", file).asText(), need(e, "classes", file).asInt()));
            }
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = n.get("params");
            if (p != null && p.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            return new LabelSetInfo(need(n, "teacher", file).asText(), need(n, "frame_rate", file).asDouble(),
                    need(n, "sample_rate", file).asInt(), need(n, "manifest", file).asText(),
                    need(n, "rows", file).asInt(), streams, params,
                    n.hasNonNull("manifest_sha256") ? n.get("manifest_sha256").asText() : null,
                    n.hasNonNull("manifest_root") ? n.get("manifest_root").asText() : null);
        } catch (IOException e) {
            throw new LabelFormatException(file + ": not valid JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e instanceof LabelFormatException) {
                throw e;
            }
            throw new LabelFormatException(file + ": " + e.getMessage());
        }
    }

    private static JsonNode need(JsonNode n, String key, Path file) {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || v.isNull()) {
            throw new LabelFormatException(file + ": missing '" + key + "'");
        }
        return v;
    }

    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("teacher", teacher);
        if (frameRate == Math.rint(frameRate)) {
            n.put("frame_rate", (long) frameRate);
        } else {
            n.put("frame_rate", frameRate);
        }
        n.put("sample_rate", sampleRate);
        n.put("manifest", manifest);
        if (manifestSha256 != null) {
            n.put("manifest_sha256", manifestSha256);
        }
        if (manifestRoot != null) {
            n.put("manifest_root", manifestRoot);
        }
        n.put("rows", rows);
        ArrayNode a = n.putArray("streams");
        for (LabelStream s : streams) {
            a.addObject().put("name", s.name()).put("classes", s.classes());
        }
        ObjectNode p = n.putObject("params");
        new java.util.TreeMap<>(params).forEach(p::put);
        AtomicFiles.write(dir.resolve(FILE_NAME), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, n));
    }

    /** Whether labels written under {@code other} can be continued under this description. */
    public boolean sameOutputAs(LabelSetInfo other) {
        return differences(other).isEmpty();
    }

    /**
     * What differs between these recorded labels and {@code wanted}, one phrase each ("teacher mfcc-kmeans
     * recorded, hubert-kmeans wanted"); empty when labels of {@code wanted} can continue these.
     */
    public java.util.List<String> differences(LabelSetInfo wanted) {
        List<String> d = new ArrayList<>();
        if (!teacher.equals(wanted.teacher)) {
            d.add("teacher " + teacher + " recorded, " + wanted.teacher + " wanted");
        }
        if (manifestSha256 == null && wanted.manifestSha256 != null) {
            d.add("no hash of the manifest rows recorded (labels of an older mert4j), so they cannot be checked"
                    + " against " + wanted.manifest);
        } else if (manifestSha256 != null && wanted.manifestSha256 != null
                && !manifestSha256.equals(wanted.manifestSha256)) {
            d.add("computed from other manifest rows (" + manifest + " rows hash " + shortHash(manifestSha256)
                    + ", " + wanted.manifest + " rows now hash " + shortHash(wanted.manifestSha256)
                    + ": the manifest changed)");
        }
        if (manifestRoot != null && wanted.manifestRoot != null && !manifestRoot.equals(wanted.manifestRoot)) {
            d.add("manifest root " + manifestRoot + " recorded, " + wanted.manifestRoot + " wanted (the same"
                    + " relative paths may hold other audio there)");
        }
        if (rows != wanted.rows) {
            d.add(rows + " rows recorded, " + wanted.rows + " wanted");
        }
        if (frameRate != wanted.frameRate || sampleRate != wanted.sampleRate) {
            d.add("frame rate " + frameRate + " at " + sampleRate + " Hz recorded, " + wanted.frameRate + " at "
                    + wanted.sampleRate + " Hz wanted");
        }
        if (!manifest.equals(wanted.manifest) && (manifestSha256 == null || wanted.manifestSha256 == null)) {
            d.add("manifest " + manifest + " recorded, " + wanted.manifest + " wanted");
        }
        if (!streams.equals(wanted.streams)) {
            d.add("streams " + streamText(streams) + " recorded, " + streamText(wanted.streams) + " wanted");
        }
        for (String k : new java.util.TreeSet<>(union(params.keySet(), wanted.params.keySet()))) {
            String a = params.get(k);
            String b = wanted.params.get(k);
            if (!java.util.Objects.equals(a, b)) {
                d.add(k + " " + (a == null ? "not set" : a) + " recorded, " + (b == null ? "not set" : b) + " wanted");
            }
        }
        return d;
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String streamText(List<LabelStream> streams) {
        return streams.stream().map(s -> s.name() + "/" + s.classes()).toList().toString();
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) + "..." : h;
    }
}
