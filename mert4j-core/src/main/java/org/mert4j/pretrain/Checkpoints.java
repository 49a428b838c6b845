package org.mert4j.pretrain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.optim.AdamW;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.FileTrees;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.io.StateDict;

/**
 * Training checkpoints under {@code RUN_DIR/checkpoints/step-NNNNNNNN/}: {@code model.safetensors}
 * (every parameter of the pretraining model), {@code optimizer.safetensors} (AdamW moments) and
 * {@code trainer.json} (step, optimizer step count, data position, counters). A checkpoint is written
 * into a temporary folder and renamed into place, so a kill at any moment leaves at worst a temporary
 * folder, removed by the next save. {@value #MANIFEST} lists the size and SHA-256 of each file, checked
 * when the checkpoint is written and before it is resumed from: a checkpoint damaged later (a full disk,
 * an interrupted copy) is skipped for the newest complete one.
 */
public final class Checkpoints {
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{8})");
    /** The file that lists the size and SHA-256 of every other file of a checkpoint. */
    public static final String MANIFEST = "checkpoint.json";
    private static final List<String> FILES = List.of("model.safetensors", "optimizer.safetensors", "trainer.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int keepLast;

    public Checkpoints(Path runDir, int keepLast) {
        this.dir = runDir.resolve("checkpoints");
        this.keepLast = keepLast;
    }

    public Path directory() {
        return dir;
    }

    /** What a checkpoint holds besides the tensors. */
    public record Saved(Path path, long step, ObjectNode trainer) {}

    public Path save(long step, MertPretrainModel model, AdamW optimizer, ObjectNode trainerState) {
        try {
            Files.createDirectories(dir);
            removeTemporaries();
            Path tmp = Files.createTempDirectory(dir, ".tmp-step-");
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), namedParameters(model), Map.of("step", Long.toString(step)));
            SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), optimizer.state(), Map.of("step", Long.toString(step)));
            ObjectNode t = trainerState.deepCopy();
            t.put("step", step);
            t.put("optimizer_step", optimizer.stepCount());
            AtomicFiles.write(tmp.resolve("trainer.json"), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, t));
            ObjectNode manifest = JSON.createObjectNode();
            for (String f : FILES) {
                manifest.putObject(f).put("size", Files.size(tmp.resolve(f))).put("sha256", sha256(tmp.resolve(f)));
            }
            AtomicFiles.write(tmp.resolve(MANIFEST), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, manifest));
            Optional<String> problem = problem(tmp);
            if (problem.isPresent()) {
                throw new CheckpointException(tmp + ": the checkpoint of step " + step + " did not verify after"
                        + " writing: " + problem.get());
            }
            Path target = dir.resolve(String.format("step-%08d", step));
            if (Files.exists(target)) {
                FileTrees.delete(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
            return target;
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot write checkpoint of step " + step + ": " + e.getMessage(), e);
        }
    }

    /** The newest checkpoint folder, complete or not, if any. */
    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * The newest checkpoint that verifies ({@link #problem}); each newer one that does not is told to
     * {@code skipped} with what is wrong ("step-00000600: model.safetensors has 4096 bytes, 8192 expected").
     */
    public Optional<Path> latestComplete(java.util.function.Consumer<String> skipped) {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            Optional<String> problem = problem(all.get(i));
            if (problem.isEmpty()) {
                return Optional.of(all.get(i));
            }
            skipped.accept(all.get(i) + " is incomplete or damaged (" + problem.get() + ")");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a checkpoint folder, or empty if it is complete: a file missing or of another size
     * or SHA-256 than {@value #MANIFEST} lists, or a {@code trainer.json} that is not a JSON object with a
     * step. Checkpoints written before the manifest existed are checked for their files and trainer.json.
     */
    public static Optional<String> problem(Path dir) {
        try {
            Path manifestFile = dir.resolve(MANIFEST);
            if (Files.isRegularFile(manifestFile)) {
                com.fasterxml.jackson.databind.JsonNode m;
                try {
                    m = JSON.readTree(manifestFile.toFile());
                } catch (IOException e) {
                    return Optional.of(MANIFEST + " is not valid JSON");
                }
                if (m == null || !m.isObject()) {
                    return Optional.of(MANIFEST + " is empty");
                }
                for (String f : FILES) {
                    Path p = dir.resolve(f);
                    long size = m.path(f).path("size").asLong(-1);
                    if (!Files.isRegularFile(p)) {
                        return Optional.of(f + " is missing");
                    }
                    if (Files.size(p) != size) {
                        return Optional.of(f + " has " + Files.size(p) + " bytes, " + size + " expected");
                    }
                    if (!sha256(p).equals(m.path(f).path("sha256").asText())) {
                        return Optional.of(f + " does not match its SHA-256 in " + MANIFEST);
                    }
                }
            } else {
                for (String f : FILES) {
                    if (!Files.isRegularFile(dir.resolve(f))) {
                        return Optional.of(f + " is missing");
                    }
                }
            }
            readTrainerState(dir);
            return Optional.empty();
        } catch (IOException | CheckpointException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code trainer.json} as an object with a step; a clear error naming the file otherwise. */
    private static ObjectNode readTrainerState(Path dir) throws IOException {
        Path f = dir.resolve("trainer.json");
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(f));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(f + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (!(n instanceof ObjectNode o) || !o.path("step").canConvertToLong()
                || !o.path("optimizer_step").canConvertToLong()) {
            throw new CheckpointException(f + ": " + (n == null || n.isMissingNode() ? "empty" : "not a JSON object with"
                    + " step and optimizer_step") + " (the checkpoint is incomplete)");
        }
        return o;
    }

    private static String sha256(Path file) throws IOException {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            try (var in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Restores model and optimizer from {@code path}; returns the trainer state. */
    public static Saved load(Path path, MertPretrainModel model, AdamW optimizer) {
        ObjectNode trainer;
        try {
            trainer = readTrainerState(path); // before any tensor is touched
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read checkpoint: " + e.getMessage(), e);
        }
        try (StateDict params = SafetensorsReader.read(path.resolve("model.safetensors"));
             StateDict moments = SafetensorsReader.read(path.resolve("optimizer.safetensors"))) {
            Map<String, Tensor> own = namedParameters(model);
            List<String> problems = new ArrayList<>();
            for (String k : own.keySet()) {
                if (!params.contains(k)) {
                    problems.add("missing " + k);
                }
            }
            if (!problems.isEmpty()) {
                throw new CheckpointException(path + ": checkpoint does not match this model: " + problems);
            }
            try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                for (Map.Entry<String, Tensor> e : own.entrySet()) {
                    Tensor src = params.get(e.getKey());
                    if (!java.util.Arrays.equals(org.mert4j.tensor.Tensors.shape(src),
                            org.mert4j.tensor.Tensors.shape(e.getValue()))) {
                        throw new CheckpointException(path + ": tensor '" + e.getKey() + "' has shape "
                                + org.mert4j.tensor.Tensors.shapeString(src) + ", the model needs "
                                + org.mert4j.tensor.Tensors.shapeString(e.getValue()));
                    }
                    e.getValue().copy_(src);
                }
            }
            optimizer.load(moments.asMap(), trainer.get("optimizer_step").asLong());
            return new Saved(path, trainer.get("step").asLong(), trainer);
        }
    }

    static Map<String, Tensor> namedParameters(org.bytedeco.pytorch.Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        StringTensorDict d = m.named_parameters();
        for (long i = 0; i < d.size(); i++) {
            // a new Tensor holds its own reference: the dictionary item is freed with the dictionary
            out.put(d.get(i).key().getString(), new Tensor(d.get(i).value()));
        }
        return out;
    }

    private List<Path> list() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (STEP_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Checkpoints::stepOf));
        return out;
    }

    static long stepOf(Path p) {
        Matcher m = STEP_DIR.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            FileTrees.delete(all.get(i));
        }
    }

    private void removeTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".tmp-step-*")) {
            for (Path p : ds) {
                FileTrees.delete(p);
            }
        }
    }

}
