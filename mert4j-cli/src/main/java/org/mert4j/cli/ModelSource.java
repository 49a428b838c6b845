package org.mert4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mert4j.model.CpuInferenceOptions;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;

/**
 * What {@code --model} names: a Hugging Face model folder, or {@code preset:NAME} for a randomly
 * initialised model of a released shape (benchmarks and smoke tests without downloading weights).
 */
public record ModelSource(String text, Path dir, String preset) {
    private static final String PRESET = "preset:";

    public static ModelSource parse(String text) {
        if (text.startsWith(PRESET)) {
            String name = text.substring(PRESET.length()).strip();
            MertConfig.preset(name); // fails early, naming the known presets
            return new ModelSource(text, null, name);
        }
        Path dir = Path.of(text);
        if (!Files.exists(dir)) {
            throw new UsageException("--model " + text + ": no such folder (expected a Hugging Face model folder"
                    + " with config.json and weights, or preset:NAME with NAME one of v0, v1-95m, v1-330m, tiny)");
        }
        return new ModelSource(text, dir, null);
    }

    public boolean isPreset() {
        return preset != null;
    }

    /** A short name for metadata: the folder name, or preset:NAME. */
    public String displayName() {
        if (isPreset()) {
            return PRESET + preset;
        }
        Path abs = dir.toAbsolutePath().normalize();
        return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    }

    /** The model's architecture, read without loading its weights. */
    public MertConfig config() {
        if (isPreset()) {
            return MertConfig.preset(preset);
        }
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new org.mert4j.model.ConfigException(dir + ": has no config.json (expected a Hugging Face model"
                    + " folder)");
        }
        return MertConfig.fromJson(file);
    }

    /** What identifies the weights in output records: {@link EmbeddingInfo#fingerprint}, or the preset's name. */
    public String fingerprint() {
        return isPreset() ? PRESET + preset + "-seed0" : EmbeddingInfo.fingerprint(dir);
    }

    /** Loads the model for fp32 inference; a preset warns on {@code err} that its outputs carry no meaning. */
    public MertModel open(String device, PrintWriter err) {
        return open(device, err, false);
    }

    /** Loads the model, for int8 inference if {@code int8}; a preset prints a warning on {@code err}. */
    public MertModel open(String device, PrintWriter err, boolean int8) {
        if (isPreset()) {
            err.println("mert: warning: " + text + " has random weights (seed 0), no checkpoint is loaded:"
                    + " outputs are only good for benchmarks and tests");
            err.flush();
            return MertModel.random(MertConfig.preset(preset), 0, device, cpuOptions(int8));
        }
        return MertModel.load(dir, device, cpuOptions(int8));
    }

    /**
     * The CPU inference paths: all of them, unless {@code -Dmert4j.onednn=false} or
     * {@code -Dmert4j.timeMajorConv=false} on the java command line turns one off for before/after
     * timings (docs/performance.md). Read when a command opens its model, not on every call.
     */
    static CpuInferenceOptions cpuOptions(boolean int8) {
        return new CpuInferenceOptions(!"false".equals(System.getProperty("mert4j.onednn")),
                !"false".equals(System.getProperty("mert4j.timeMajorConv")), int8);
    }
}
