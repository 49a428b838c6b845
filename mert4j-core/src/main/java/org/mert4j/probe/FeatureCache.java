package org.mert4j.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Waveform;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.Npy;
import org.mert4j.model.WindowPlan;
import org.mert4j.tensor.FloatArray;

/**
 * Features extracted once per (extractor fingerprint, task, window) and reused by every probe run:
 * {@code ROOT/TASK-HASH/EXTRACTOR-FINGERPRINT/w5s/00042-HASH.npy}, one float32 file per clip holding
 * [windows, layers, dim] (or [layers, frames, dim] for frame features). Files are written atomically, so an
 * interrupted extraction resumes where it stopped.
 */
public final class FeatureCache {
    private final Path dir;

    private FeatureCache(Path dir) {
        this.dir = dir;
    }

    /** The cache folder of a task and extractor under {@code root}. */
    public static FeatureCache of(Path root, Task task, FeatureExtractor extractor) {
        String window = task.type().framewise() ? "frames"
                : task.windowSeconds() > 0 ? String.format(Locale.ROOT, "w%gs", task.windowSeconds()) : "clip";
        String taskKey = safe(task.name()) + "-" + hash(task.manifest().toAbsolutePath().toString()).substring(0, 8);
        return new FeatureCache(root.resolve(taskKey).resolve(safe(extractor.name()) + "-" + safe(extractor.fingerprint()))
                .resolve(window));
    }

    public Path dir() {
        return dir;
    }

    /** Per clip: [windows, layers, dim] for pooled tasks, [layers, frames, dim] for beat tasks. */
    public List<FloatArray> load(Task task, FeatureExtractor extractor, IntConsumer progress) throws IOException {
        Files.createDirectories(dir);
        String meta = "{\"extractor\": \"" + extractor.name() + "\", \"fingerprint\": \"" + extractor.fingerprint()
                + "\", \"task\": \"" + task.name() + "\", \"manifest\": \""
                + task.manifest().toAbsolutePath().toString().replace("\\", "\\\\") + "\"}\n";
        if (!Files.exists(dir.resolve("meta.json"))) {
            AtomicFiles.write(dir.resolve("meta.json"), o -> o.write(meta.getBytes(StandardCharsets.UTF_8)));
        }
        List<FloatArray> out = new ArrayList<>();
        List<TaskExample> examples = task.examples();
        for (int i = 0; i < examples.size(); i++) {
            TaskExample e = examples.get(i);
            Path file = dir.resolve(String.format("%05d-%s.npy", i, hash(e.id()).substring(0, 8)));
            FloatArray f;
            if (Files.isRegularFile(file)) {
                f = Npy.readFloats(file);
            } else {
                f = extract(e.audio(), task, extractor);
                Npy.write(file, f);
            }
            out.add(f);
            progress.accept(i + 1);
        }
        return out;
    }

    /** Decodes a clip and computes its features as {@link #load} stores them. */
    public static FloatArray extract(Path audio, Task task, FeatureExtractor extractor) {
        Waveform w = AudioDecoder.decode(audio);
        float[] mono = w.mono();
        if (task.type().framewise()) {
            return extractor.frames(mono, w.sampleRate());
        }
        List<WindowPlan.Window> windows = WindowPlan.split(mono.length, w.sampleRate(), task.windowSeconds());
        if (windows.isEmpty()) {
            throw new IllegalArgumentException(audio + ": no audio samples");
        }
        int layers = extractor.layers();
        int dim = extractor.dim();
        float[] data = new float[windows.size() * layers * dim];
        for (int k = 0; k < windows.size(); k++) {
            WindowPlan.Window win = windows.get(k);
            float[] part = java.util.Arrays.copyOfRange(mono, (int) win.start(), (int) (win.start() + win.length()));
            FloatArray p = extractor.pooled(part, w.sampleRate());
            p.values().get(0, data, k * layers * dim, layers * dim);
        }
        return new FloatArray(data, new long[] {windows.size(), layers, dim});
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
