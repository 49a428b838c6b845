package org.mert4j.cli.options;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mert4j.cli.console.DownloadBar;
import org.mert4j.hub.HubModels;
import org.mert4j.hub.HubSettings;
import org.mert4j.hub.RepoId;
import org.mert4j.model.CpuInferenceOptions;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.model.ModelFingerprint;

/**
 * What {@code --model} names: a Hugging Face model folder; a model id on the Hugging Face Hub
 * ({@code m-a-p/MERT-v1-95M}, {@code org/name@revision}), resolved to its snapshot folder in the local Hugging
 * Face cache and downloaded there when missing; or {@code preset:NAME} for a randomly initialised model of a
 * released shape (benchmarks and smoke tests without downloading weights). An existing folder wins over an id.
 *
 * @param hubId the id as given when the model came from the Hub, else null
 */
public record ModelSource(String text, Path dir, String preset, String hubId) {
    private static final String PRESET = "preset:";

    /** Parses {@code --model}; downloads of a Hub model report their progress on stderr. */
    public static ModelSource parse(String text) {
        return parse(text, new PrintWriter(System.err, true));
    }

    /** Parses {@code --model}; downloads of a Hub model report their progress on {@code err}. */
    public static ModelSource parse(String text, PrintWriter err) {
        if (text.startsWith(PRESET)) {
            String name = text.substring(PRESET.length()).strip();
            MertConfig.preset(name); // fails early, naming the known presets
            return new ModelSource(text, null, name, null);
        }
        Path dir = Path.of(text);
        if (Files.exists(dir)) {
            return new ModelSource(text, dir, null, null);
        }
        if (RepoId.looksLikeId(text)) {
            Path snapshot = HubModels.locate(text, HubSettings.fromEnvironment(), DownloadBar.forCommand(err));
            return new ModelSource(text, snapshot, null, text);
        }
        throw new UsageException("--model " + text + ": no such folder (expected a Hugging Face model folder"
                + " with config.json and weights, a Hub model id such as m-a-p/MERT-v1-95M, or preset:NAME with NAME"
                + " one of v0, v1-95m, v1-330m, small, cpu, tiny)");
    }

    public boolean isPreset() {
        return preset != null;
    }

    /** A short name for metadata: the Hub id as given, the folder name, or preset:NAME. */
    public String displayName() {
        if (isPreset()) {
            return PRESET + preset;
        }
        if (hubId != null) {
            return hubId;
        }
        Path abs = dir.toAbsolutePath().normalize();
        return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    }

    /** A name usable as one folder name: the display name with the Hub's '/' and '@' made safe. */
    public String folderName() {
        return isPreset() ? "preset-" + preset : displayName().replace('/', '-').replace('@', '-');
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

    /** What identifies the weights in output records ({@link ModelFingerprint}). */
    public String fingerprint() {
        return isPreset() ? ModelFingerprint.ofPreset(preset, 0) : ModelFingerprint.of(dir);
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
    public static CpuInferenceOptions cpuOptions(boolean int8) {
        return new CpuInferenceOptions(!"false".equals(System.getProperty("mert4j.onednn")),
                !"false".equals(System.getProperty("mert4j.timeMajorConv")), int8);
    }
}
