package org.mert4j.cli.output;

import org.mert4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one input's features to its own file, atomically (see {@link AtomicFiles}).
 * {@link OutputFormat#writer} gives the writer of a format.
 */
public interface OutputWriter {
    void write(Path target, Embedding embedding) throws IOException;
}
