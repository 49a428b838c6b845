package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Finding a dataset's parts under the folder a user gives, which may be the dataset's root or a folder above it. */
final class Folders {
    private Folders() {}

    /** The first folder at most {@code depth} levels below {@code dir} (breadth first, by name) that {@code is} accepts. */
    static Optional<Path> find(Path dir, int depth, Predicate<Path> is) throws IOException {
        List<Path> level = List.of(dir);
        for (int d = 0; d <= depth && !level.isEmpty(); d++) {
            List<Path> next = new ArrayList<>();
            for (Path p : level) {
                if (is.test(p)) {
                    return Optional.of(p);
                }
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isDirectory).filter(q -> !q.getFileName().toString().startsWith("."))
                            .sorted().forEach(next::add);
                }
            }
            level = next;
        }
        return Optional.empty();
    }

    /** The first file at most {@code depth} levels below {@code dir} named {@code name}. */
    static Optional<Path> findFile(Path dir, int depth, String name) throws IOException {
        return find(dir, depth, p -> Files.isRegularFile(p.resolve(name))).map(p -> p.resolve(name));
    }

    /** Every regular file below {@code dir}, sorted. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * {@code root.resolve(relative)} when that stays inside {@code root}, else empty: an absolute path, one that
     * climbs out with {@code ..}, or one the file system cannot name (a NUL character) is refused.
     */
    static Optional<Path> inside(Path root, String relative) {
        Path base = root.toAbsolutePath().normalize();
        try {
            Path rel = Path.of(relative);
            if (relative.isEmpty() || rel.isAbsolute() || rel.getRoot() != null) {
                return Optional.empty();
            }
            Path p = base.resolve(rel).normalize();
            return p.startsWith(base) && !p.equals(base) ? Optional.of(root.resolve(rel)) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
