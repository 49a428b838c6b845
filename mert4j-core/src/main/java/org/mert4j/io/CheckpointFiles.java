package org.mert4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds and loads the weights of a Hugging Face model folder, in the order transformers prefers:
 * {@code model.safetensors}, a sharded safetensors index, {@code pytorch_model.bin}, a sharded bin index.
 */
public final class CheckpointFiles {

    public static final String SAFETENSORS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    public static final String BIN = "pytorch_model.bin";
    public static final String BIN_INDEX = "pytorch_model.bin.index.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CheckpointFiles() {
    }

    /** The weights file (or index) that {@link #load(Path)} would use. */
    public static Path locate(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": not a directory; expected a Hugging Face model folder");
        }
        for (String name : WEIGHT_FILES) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new CheckpointException(dir + ": no weights found; expected one of " + SAFETENSORS + ", "
                + SAFETENSORS_INDEX + ", " + BIN + ", " + BIN_INDEX + " but the folder has " + listing(dir));
    }

    /** The weight file names in the order they are looked for: single files before sharded indexes, safetensors first. */
    public static final List<String> WEIGHT_FILES = List.of(SAFETENSORS, SAFETENSORS_INDEX, BIN, BIN_INDEX);

    /** Whether {@code name} is one of the sharded indexes (whose shards must be fetched too). */
    public static boolean isIndex(String name) {
        return name.equals(SAFETENSORS_INDEX) || name.equals(BIN_INDEX);
    }

    /** The distinct shard file names a sharded index lists, in order; each a plain file name. */
    public static List<String> shards(Path index) {
        String f = index.getFileName().toString();
        List<String> out = new ArrayList<>();
        for (String shard : weightMap(index).values()) {
            checkShardName(f, shard);
            if (!out.contains(shard)) {
                out.add(shard);
            }
        }
        return out;
    }

    /** A shard must be a plain file name of the model folder: no folder, no '..', no control character (NUL). */
    private static void checkShardName(String index, String shard) {
        if (shard.isEmpty() || shard.length() > 255 || shard.contains("/") || shard.contains("\\")
                || shard.contains("..") || shard.equals(".") || shard.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new CheckpointException(index + ": shard name '" + shard.replaceAll("\\p{Cntrl}", "?")
                    + "' must be a plain file name in the model folder (no folders, no control characters)");
        }
    }

    /** Loads every tensor of the model folder; the caller owns the result. */
    public static StateDict load(Path dir) {
        Path file = locate(dir);
        return switch (file.getFileName().toString()) {
            case SAFETENSORS -> SafetensorsReader.read(file);
            case BIN -> TorchBinReader.read(file);
            case SAFETENSORS_INDEX -> loadSharded(file, SafetensorsReader::read);
            default -> loadSharded(file, TorchBinReader::read);
        };
    }

    /** Reads an index's {@code weight_map}, then each shard once, keeping exactly the listed tensors. */
    static StateDict loadSharded(Path index, Function<Path, StateDict> reader) {
        String f = index.getFileName().toString();
        Map<String, String> weightMap = weightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        weightMap.forEach((key, shard) -> byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(key));
        List<String> missing = new ArrayList<>();
        for (String shard : byShard.keySet()) {
            checkShardName(f, shard);
            if (!Files.isRegularFile(dir.resolve(shard))) {
                missing.add(shard);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(f + ": weight_map names shard files that do not exist: " + missing
                    + "; the folder has " + listing(dir));
        }
        StateDict out = new StateDict();
        try {
            for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
                try (StateDict shard = reader.apply(dir.resolve(e.getKey()))) {
                    for (String key : e.getValue()) {
                        if (!shard.contains(key)) {
                            throw new CheckpointException(f + ": weight_map puts tensor '" + key + "' in shard '"
                                    + e.getKey() + "' but that shard holds only " + shard.size() + " other tensors");
                        }
                        out.put(key, shard.remove(key)); // moved out, so closing the shard keeps it alive
                    }
                }
            }
            return out;
        } catch (RuntimeException ex) {
            out.close();
            throw ex;
        }
    }

    private static Map<String, String> weightMap(Path index) {
        String f = index.getFileName().toString();
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(f + ": not a readable JSON index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new CheckpointException(f + ": expected a non-empty 'weight_map' object of tensor name -> shard file but found " + map);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(f + ": weight_map entry '" + e.getKey() + "' must name a shard file but is " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            TreeSet<String> names = new TreeSet<>();
            s.forEach(p -> names.add(p.getFileName().toString()));
            return names.isEmpty() ? "no files" : names.toString();
        } catch (IOException e) {
            return "an unreadable listing (" + e.getMessage() + ")";
        }
    }
}
