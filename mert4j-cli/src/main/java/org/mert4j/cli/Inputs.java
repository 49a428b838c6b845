package org.mert4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mert4j.audio.AudioFiles;

/** Expands INPUT arguments (files, directories, {@code @list.txt}) and remembers where each file came from. */
public final class Inputs {
    private Inputs() {
    }

    public static List<InputFile> expand(List<String> args) {
        List<InputFile> out = new ArrayList<>();
        for (String arg : args) {
            List<Path> files;
            try {
                files = AudioFiles.expand(List.of(arg));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            // a directory argument keeps its layout in the output folder; files and list entries keep their name
            Path dir = !arg.startsWith("@") && Files.isDirectory(Path.of(arg)) ? Path.of(arg) : null;
            for (Path f : files) {
                out.add(new InputFile(f, dir != null ? dir.relativize(f) : f.getFileName()));
            }
        }
        return out;
    }
}
