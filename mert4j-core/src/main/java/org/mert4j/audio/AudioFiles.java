package org.mert4j.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** Finding audio files: extension checks and expansion of command-line inputs into a file list. */
public final class AudioFiles {

    /** Lower-case extensions treated as audio when walking directories. */
    public static final Set<String> EXTENSIONS = Set.of(
            "wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac", "mp4", "aiff", "aif", "wma", "webm", "mka");

    private AudioFiles() {
    }

    /** Whether the file name ends in one of {@link #EXTENSIONS} (case-insensitive); the content is not read. */
    public static boolean isAudioFile(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * An input, or a file found inside a folder, that gives no audio file to read.
     * @param path   the path as the user will recognise it (a list entry resolved against the list's folder)
     * @param reason why, e.g. "not found (line 3 of tracks.txt)", "dangling symbolic link to x.flac"
     */
    public record Problem(String path, String reason) {}

    /**
     * Expands inputs, in order, into a file list:
     * <ul>
     *   <li>a file is taken as given, whatever its extension;</li>
     *   <li>a directory contributes its audio files ({@link #isAudioFile}), walked recursively and sorted by path;</li>
     *   <li>{@code @list.txt} contributes the paths listed in that text file, one per line, expanded the same
     *       way; relative paths resolve against the list file's folder; blank lines and lines starting with
     *       {@code #} are skipped.</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the input if a file, directory or list does not exist, or a
     *                                  path is a dangling link or a special file (see {@link #expand(List, Consumer)})
     */
    public static List<Path> expand(List<String> inputs) {
        return expand(inputs, p -> {
            if (p.reason().startsWith(NOT_FOUND)) {
                throw new IllegalArgumentException("input not found: " + p.path() + p.reason().substring(NOT_FOUND.length())
                        + " (expected an audio file, a directory or @list.txt)");
            }
            throw new IllegalArgumentException(p.path() + ": " + p.reason());
        });
    }

    /**
     * Expands inputs like {@link #expand(List)}, but tells {@code problems} about every input that gives no
     * audio file instead of stopping at the first: a missing file, folder or list; a dangling symbolic link;
     * a FIFO, socket or device; a folder that cannot be read. Inside folders only names with an audio
     * extension are reported (other files are not inputs).
     */
    public static List<Path> expand(List<String> inputs, Consumer<Problem> problems) {
        List<Path> out = new ArrayList<>();
        for (String input : inputs) {
            if (input.startsWith("@")) {
                expandList(Path.of(input.substring(1)), out, problems);
            } else {
                expandPath(Path.of(input), "", out, problems);
            }
        }
        return out;
    }

    private static final String NOT_FOUND = "not found";

    private static void expandList(Path list, List<Path> out, Consumer<Problem> problems) {
        if (!Files.isRegularFile(list)) {
            problems.accept(new Problem("@" + list, NOT_FOUND + " (list file)"));
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read list file " + list, e);
        }
        Path base = list.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Path p = Path.of(line);
            if (!p.isAbsolute() && base != null) {
                p = base.resolve(p);
            }
            expandPath(p, " (line " + (i + 1) + " of " + list + ")", out, problems);
        }
    }

    private static void expandPath(Path p, String where, List<Path> out, Consumer<Problem> problems) {
        if (Files.isDirectory(p)) {
            walk(p, out, problems);
        } else if (Files.isRegularFile(p)) {
            out.add(p);
        } else {
            String why = whyNotAFile(p);
            problems.accept(new Problem(p.toString(), why + where));
        }
    }

    /** Why an existing-or-not path is not a readable file: not found, a dangling link, or a special file. */
    private static String whyNotAFile(Path p) {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            String target;
            try {
                target = Files.readSymbolicLink(p).toString();
            } catch (IOException e) {
                target = "?";
            }
            return "dangling symbolic link to " + target;
        }
        if (!Files.exists(p)) {
            return NOT_FOUND;
        }
        return "not a regular file (a FIFO, socket or device)";
    }

    /** The audio files below {@code dir}, sorted; dangling links, special files and unreadable folders reported. */
    private static void walk(Path dir, List<Path> out, Consumer<Problem> problems) {
        List<Path> found = new ArrayList<>();
        List<Problem> bad = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!isAudioFile(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (Files.isRegularFile(file)) {
                        found.add(file); // a regular file, or a link to one
                    } else if (!Files.isDirectory(file)) {
                        bad.add(new Problem(file.toString(), whyNotAFile(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    bad.add(new Problem(file.toString(), "cannot be read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk directory " + dir, e);
        }
        found.sort(null);
        out.addAll(found);
        bad.sort(java.util.Comparator.comparing(Problem::path));
        bad.forEach(problems);
    }
}
