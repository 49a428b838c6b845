package org.mert4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** How the features of a run were made: stored with each output that has room for it (safetensors). */
public record RunMetadata(String model, int[] layers, double windowSeconds, String pool, int sampleRate) {
    public static String joinLayers(int[] layers) {
        StringJoiner j = new StringJoiner(",");
        for (int l : layers) {
            j.add(String.valueOf(l));
        }
        return j.toString();
    }

    /** String metadata for one output file (safetensors metadata values must be strings). */
    public Map<String, String> forFile(Embedding e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "mert4j-embedding");
        m.put("model", model);
        m.put("layers", joinLayers(layers));
        m.put("window_s", WindowConverter.describe(windowSeconds));
        m.put("pool", pool);
        m.put("sample_rate", String.valueOf(sampleRate));
        m.put("duration_s", String.valueOf(e.durationSeconds()));
        m.put("source", e.input().relative().toString());
        return m;
    }
}
