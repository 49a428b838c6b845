package org.mert4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.mert4j.io.Npy;
import org.mert4j.tensor.FloatArray;

/**
 * A folder of {@code .npy} embeddings as {@code mert embed} writes them, one {@code [L+1, H]} array per
 * track; the track key is the file's path below the folder without {@code .npy}.
 */
public final class NpyEmbeddings {
    private NpyEmbeddings() {
    }

    /** The {@code .npy} files below {@code dir}, sorted by path. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder of .npy embeddings");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".npy"))
                    .sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The key of a file below {@code dir}: relative path, {@code /}-separated, without {@code .npy}. */
    public static String key(Path dir, Path file) {
        String rel = dir.relativize(file).toString().replace('\\', '/');
        return rel.substring(0, rel.length() - ".npy".length());
    }

    /**
     * Row {@code layer} of a pooled embedding file.
     * @throws IOException naming the file if it is not a 2-D array or has no such row
     */
    public static float[] row(Path file, int layer) throws IOException {
        FloatArray a = Npy.readFloats(file);
        if (a.dim() != 2) {
            throw new IOException(file + ": expected a pooled embedding [layers, hidden], found shape "
                    + shapeText(a.shape()) + " (embed with the default --pool mean)");
        }
        if (layer < 0 || layer >= a.shape()[0]) {
            throw new IOException(file + ": has hidden states 0.." + (a.shape()[0] - 1) + ", no layer " + layer);
        }
        return a.row(layer);
    }

    private static String shapeText(long[] shape) {
        List<String> s = new ArrayList<>();
        for (long d : shape) {
            s.add(String.valueOf(d));
        }
        return "[" + String.join(", ", s) + "]";
    }
}
