package org.mert4j.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mert4j.io.Npy;

/** A NumPy {@code .npy} float32 array per input: what most downstream probing code loads directly. */
public final class NpyOutput implements OutputWriter {
    @Override
    public void write(Path target, Embedding e) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Npy.write(target, e.values()); // Npy writes through a temporary file and a rename
    }
}
