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
import org.mert4j.io.CheckpointException;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.SafetensorsWriter;
import org.mert4j.io.StateDict;

/**
 * Training checkpoints under {@code RUN_DIR/checkpoints/step-NNNNNNNN/}: {@code model.safetensors}
 * (every parameter of the pretraining model), {@code optimizer.safetensors} (AdamW moments) and
 * {@code trainer.json} (step, optimizer step count, data position, counters). A checkpoint is written
 * into a temporary folder and renamed into place, so a folder named {@code step-*} is always complete;
 * a kill at any moment leaves at worst a temporary folder, removed by the next save.
 */
public final class Checkpoints {
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{8})");
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
            Path target = dir.resolve(String.format("step-%08d", step));
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
            return target;
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot write checkpoint of step " + step + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Restores model and optimizer from {@code path}; returns the trainer state. */
    public static Saved load(Path path, MertPretrainModel model, AdamW optimizer) {
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
            ObjectNode trainer = (ObjectNode) JSON.readTree(Files.readAllBytes(path.resolve("trainer.json")));
            optimizer.load(moments.asMap(), trainer.get("optimizer_step").asLong());
            return new Saved(path, trainer.get("step").asLong(), trainer);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read checkpoint: " + e.getMessage(), e);
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
            deleteTree(all.get(i));
        }
    }

    private void removeTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".tmp-step-*")) {
            for (Path p : ds) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
