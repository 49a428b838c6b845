package org.mert4j.cli.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mert4j.audio.AudioFiles;

/**
 * Expands INPUT arguments (files, directories, {@code @list.txt}) and remembers where each file came from.
 * Inputs that give no file (missing, dangling links, FIFOs) are collected as problems: the command lists
 * them as failures and goes on with the rest.
 */
public final class Inputs {
    /** The files found, in order, and the inputs that gave none. */
    public record Expanded(List<InputFile> files, List<AudioFiles.Problem> problems) {}

    private Inputs() {
    }

    public static Expanded expand(List<String> args) {
        List<InputFile> out = new ArrayList<>();
        List<AudioFiles.Problem> problems = new ArrayList<>();
        for (String arg : args) {
            List<Path> files = AudioFiles.expand(List.of(arg), problems::add);
            // a directory argument keeps its layout in the output folder; files and list entries keep their name
            Path dir = !arg.startsWith("@") && Files.isDirectory(Path.of(arg)) ? Path.of(arg) : null;
            for (Path f : files) {
                out.add(new InputFile(f, dir != null ? dir.relativize(f) : f.getFileName()));
            }
        }
        return new Expanded(out, problems);
    }
}
