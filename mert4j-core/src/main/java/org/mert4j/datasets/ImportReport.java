package org.mert4j.datasets;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mert4j.probe.Split;

/**
 * What an import found: clips per split, files the dataset's lists name but the folder lacks ({@code missing}),
 * files on disk that no split uses ({@code unused}), clips left out on purpose, counted by reason, and rows of the
 * dataset's lists that cannot be used ({@code rejected}: a label that is missing, not a number or not finite, a key
 * seen before, a path leading out of the dataset's folder), each named by file and line.
 * None of these stops an import; the command reports them.
 */
public final class ImportReport {
    private final Map<Split, Integer> clips = new EnumMap<>(Split.class);
    private final List<String> missing = new ArrayList<>();
    private final List<String> unused = new ArrayList<>();
    private final Map<String, Integer> skipped = new LinkedHashMap<>();
    private final List<String> rejected = new ArrayList<>();

    void added(Split split) {
        clips.merge(split, 1, Integer::sum);
    }

    void missing(String what) {
        missing.add(what);
    }

    void unused(String what) {
        unused.add(what);
    }

    void skipped(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    /** A row left out because it cannot be used: {@code where} names the file and line, {@code why} the problem. */
    void rejected(String where, String why) {
        rejected.add(where + ": " + why);
    }

    public int clips(Split split) {
        return clips.getOrDefault(split, 0);
    }

    public int total() {
        return clips.values().stream().mapToInt(Integer::intValue).sum();
    }

    public List<String> missing() {
        return List.copyOf(missing);
    }

    public List<String> unused() {
        return List.copyOf(unused);
    }

    public List<String> rejected() {
        return List.copyOf(rejected);
    }

    public Map<String, Integer> skipped() {
        return Map.copyOf(skipped);
    }
}
