package org.mert4j.datasets;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mert4j.probe.Split;

/**
 * What an import found: clips per split, files the dataset's lists name but the folder lacks ({@code missing}),
 * files on disk that no split uses ({@code unused}), and clips left out on purpose, counted by reason.
 * None of these stops an import; the command reports them.
 */
public final class ImportReport {
    private final Map<Split, Integer> clips = new EnumMap<>(Split.class);
    private final List<String> missing = new ArrayList<>();
    private final List<String> unused = new ArrayList<>();
    private final Map<String, Integer> skipped = new LinkedHashMap<>();

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

    public Map<String, Integer> skipped() {
        return Map.copyOf(skipped);
    }
}
