package org.mert4j.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

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
     * Expands inputs, in order, into a file list:
     * <ul>
     *   <li>a file is taken as given, whatever its extension;</li>
     *   <li>a directory contributes its audio files ({@link #isAudioFile}), walked recursively and sorted by path;</li>
     *   <li>{@code @list.txt} contributes the paths listed in that text file, one per line, expanded the same
     *       way; relative paths resolve against the list file's folder; blank lines and lines starting with
     *       {@code #} are skipped.</li>
     * </ul>
     *
     * @throws IllegalArgumentException naming the input if a file, directory or list does not exist
     */
    public static List<Path> expand(List<String> inputs) {
        List<Path> out = new ArrayList<>();
        for (String input : inputs) {
            if (input.startsWith("@")) {
                expandList(Path.of(input.substring(1)), out);
            } else {
                expandPath(Path.of(input), input, out);
            }
        }
        return out;
    }

    private static void expandList(Path list, List<Path> out) {
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException("list file not found: @" + list);
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
            expandPath(p, line + " (line " + (i + 1) + " of " + list + ")", out);
        }
    }

    private static void expandPath(Path p, String described, List<Path> out) {
        if (Files.isDirectory(p)) {
            try (Stream<Path> walk = Files.walk(p)) {
                walk.filter(Files::isRegularFile).filter(AudioFiles::isAudioFile).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot walk directory " + p, e);
            }
        } else if (Files.exists(p)) {
            out.add(p);
        } else {
            throw new IllegalArgumentException("input not found: " + described
                    + " (expected an audio file, a directory or @list.txt)");
        }
    }
}
