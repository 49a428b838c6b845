package org.mert4j.cli.jobs;

import java.nio.file.Path;

/**
 * One audio file to process.
 * @param file     where to read it
 * @param relative where its output goes under the output folder (before the extension is replaced):
 *                 the path below the directory argument it was found in, or the bare file name
 */
public record InputFile(Path file, Path relative) {
    /** The path as the user will recognise it in messages and in failures.tsv. */
    public String display() {
        return file.toString();
    }
}
