package org.mert4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

import org.mert4j.audio.AudioFiles;

/**
 * The folder {@code GET /v1/tracks/{key}/audio} serves from: a track key (its path below the embeddings folder
 * without extension, as the index holds it) names {@code ROOT/key.EXT} for an audio extension. Nothing outside
 * the folder is ever read: keys with {@code ..}, absolute keys, and files whose real path (links followed) lies
 * outside it are not found.
 */
public final class AudioRoot {
    private final Path real;

    public AudioRoot(Path dir) throws IOException {
        this.real = dir.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException(dir + ": not a folder");
        }
    }

    public Path dir() {
        return real;
    }

    /** The audio file of a track key, or empty when there is none inside the folder. */
    public Optional<Path> find(String key) {
        if (!safeKey(key)) {
            return Optional.empty();
        }
        Path base;
        try {
            base = real.resolve(key).normalize();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (!base.startsWith(real) || base.equals(real)) {
            return Optional.empty();
        }
        Path parent = base.getParent();
        String name = base.getFileName().toString();
        // the key itself when it carries its extension, else KEY.EXT for the audio extensions in a fixed order
        TreeSet<String> names = new TreeSet<>();
        if (AudioFiles.isAudioFile(base)) {
            names.add(name);
        }
        for (String ext : new TreeSet<>(AudioFiles.EXTENSIONS)) {
            names.add(name + "." + ext);
            names.add(name + "." + ext.toUpperCase(Locale.ROOT));
        }
        for (String n : names) {
            Path candidate = parent.resolve(n);
            if (Files.isRegularFile(candidate)) {
                Optional<Path> inside = inside(candidate);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    /** The file's real path if it lies inside the folder (a link out of it does not). */
    private Optional<Path> inside(Path candidate) {
        try {
            Path r = candidate.toRealPath();
            return r.startsWith(real) && Files.isRegularFile(r, LinkOption.NOFOLLOW_LINKS) ? Optional.of(r) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Relative, forward slashes, no empty, {@code .} or {@code ..} segments, no control characters. */
    static boolean safeKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 4096 || key.startsWith("/") || key.contains("\\")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
                return false;
            }
        }
        if (key.length() > 1 && key.charAt(1) == ':') {
            return false; // a drive letter
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
