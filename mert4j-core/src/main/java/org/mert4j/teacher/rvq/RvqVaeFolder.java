package org.mert4j.teacher.rvq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.FileTrees;
import org.mert4j.io.SafetensorsWriter;

/**
 * Saves an {@link RvqVae} as a Hugging Face-like folder (config.json + model.safetensors). The folder is
 * written beside the target under a temporary name and then swapped in, so a reader never sees a
 * half-written model and an interrupted save leaves the previous one intact.
 */
final class RvqVaeFolder {
    private RvqVaeFolder() {}

    static void save(RvqVae model, Path dir) {
        List<String> bad = model.nonFinite();
        if (!bad.isEmpty()) { // such a model encodes everything as code 0: never let it replace a good one
            throw new NonFiniteWeightsException("not saved to " + dir + ": " + NonFiniteWeightsException.names(bad)
                    + " hold NaN or infinite values" + (Files.exists(dir) ? "; the folder keeps its earlier save" : ""));
        }
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Path old = parent.resolve("." + target.getFileName() + ".old-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            FileTrees.delete(tmp);
            Files.createDirectories(tmp);
            Map<String, Tensor> state = model.stateForSaving();
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), state, Map.of("format", "pt"));
            byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(model.config().toJson()).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(tmp.resolve("config.json"), out -> out.write(json));
            if (Files.exists(target)) {
                FileTrees.delete(old);
                move(target, old);
            }
            move(tmp, target);
            FileTrees.delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the RVQ-VAE to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

}
