package org.mert4j.serve;

import java.util.List;
import java.util.Set;

/**
 * The service's routes: a path pattern (a literal path, or one with a {@code {key}} segment between a prefix and
 * a suffix), the methods it answers and its {@link Route}. The router dispatches with it, and metrics label
 * requests with its patterns, so the two cannot disagree.
 */
final class RouteTable {
    private static final String KEY = "{key}";

    /** One route; {@code hint} tells a client using another method what to do instead. */
    record Entry(String pattern, Set<String> methods, String hint, Route route) {
        static Entry get(String pattern, Route route) {
            return new Entry(pattern, Set.of("GET", "HEAD"), "use GET", route);
        }

        static Entry post(String pattern, Route route) {
            return new Entry(pattern, Set.of("POST"), "POST the audio file's bytes", route);
        }

        void checkMethod(String method) {
            if (!methods.contains(method)) {
                throw new ApiException(405, method + " is not allowed here: " + hint);
            }
        }

        /** The raw (still percent-encoded) key when the path matches, "" for a pattern without a key, else null. */
        String match(String path) {
            int k = pattern.indexOf(KEY);
            if (k < 0) {
                return pattern.equals(path) ? "" : null;
            }
            String prefix = pattern.substring(0, k);
            String suffix = pattern.substring(k + KEY.length());
            // an empty key does not match: /v1/tracks/audio is no route
            if (path.length() > prefix.length() + suffix.length() && path.startsWith(prefix) && path.endsWith(suffix)) {
                return path.substring(prefix.length(), path.length() - suffix.length());
            }
            return null;
        }

        boolean keyed() {
            return pattern.contains(KEY);
        }
    }

    /** A matched route with its raw key (null for a pattern without one). */
    record Match(Entry entry, String rawKey) {}

    private final List<Entry> entries;

    RouteTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The first route whose pattern matches the path, or null. */
    Match match(String path) {
        if (path == null) {
            return null;
        }
        for (Entry e : entries) {
            String key = e.match(path);
            if (key != null) {
                return new Match(e, e.keyed() ? key : null);
            }
        }
        return null;
    }

    /** The metrics label of a path: its route's pattern, or {@link Metrics#OTHER}. */
    String label(String path) {
        Match m = match(path);
        return m == null ? Metrics.OTHER : m.entry().pattern();
    }
}
