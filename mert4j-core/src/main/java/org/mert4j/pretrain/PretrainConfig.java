package org.mert4j.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mert4j.model.ConfigException;
import org.mert4j.model.MertConfig;

/**
 * Everything a pretraining run needs (docs/pretraining.md), as a tree of records read from YAML or JSON.
 * A run starts from a preset ({@code tiny}, {@code small}, {@code 95m}, {@code 330m}), takes a config file over it,
 * then {@code section.key=value} overrides from the command line. The resolved tree is saved in the
 * run folder so that a resumed run continues with exactly the same settings.
 */
public record PretrainConfig(ObjectNode encoder, Data data, Objective objective, Optim optim, Run run) {

    /** Where the audio and labels come from and how they are cut. */
    public record Data(
            String manifest,
            String validManifest,
            String labels,
            String validLabels,
            double cropSeconds,
            double minSeconds,
            int maxTokens,
            int prefetch,
            long seed) {}

    /** The MERT objective: masking, heads, loss weights, augmentation. */
    public record Objective(
            int finalDim,
            double logitTemp,
            double acousticWeight,
            double unmaskedWeight,
            double cqtWeight,
            int cqtBins,
            String cqtTarget,
            String cqtFrames,
            double featurePenalty,
            double maskProb,
            int maskLength,
            int minMasks,
            double noiseProb,
            int noiseMaxSegments,
            double noiseMinSeconds,
            double noiseMaxSeconds,
            double featureGradMult,
            String head,
            Double projectionGradMult) {

        /**
         * Multiplier of the feature projection's gradient: 1 trains it, 0 keeps it at its initial weights (the CPU
         * recipe), so that training cannot take out of the transformer's input what the front gives it.
         */
        @Override
        public Double projectionGradMult() {
            return projectionGradMult == null ? 1.0 : projectionGradMult; // configs written before the option existed
        }

        /** The acoustic head: {@code cosine} (MERT's, cosine logits over label embeddings) or {@code linear}. */
        @Override
        public String head() {
            return head == null ? COSINE_HEAD : head; // configs written before the option existed
        }

        public boolean linearHead() {
            return head().equals(LINEAR_HEAD);
        }
    }

    public static final String COSINE_HEAD = "cosine";
    public static final String LINEAR_HEAD = "linear";

    /** AdamW with decoupled weight decay, linear warm-up then linear decay, global-norm clipping. */
    public record Optim(
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            int warmupSteps,
            int totalSteps,
            double clipNorm,
            int gradAccum,
            String precision) {}

    /** How long to train, how often to save, log and validate, and where. */
    public record Run(
            int maxSteps,
            int saveEvery,
            int keepLast,
            int logEvery,
            int validEvery,
            int validBatches,
            int maxBadSteps,
            String device,
            int threads) {}

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public MertConfig encoderConfig() {
        return MertConfig.fromJson(encoder.deepCopy());
    }

    /** Sample rate of the encoder, which is also the rate crops and labels are cut at. */
    public int sampleRate() {
        return encoderConfig().sampleRate();
    }

    public ObjectNode toJson() {
        return JSON.valueToTree(this);
    }

    // ---- building ----

    /** Preset, then the file (if any), then overrides {@code section.key=value}. */
    public static PretrainConfig load(String preset, Path file, List<String> overrides) {
        ObjectNode tree = presetTree(preset);
        if (file != null) {
            merge(tree, readTree(file));
        }
        for (String o : overrides) {
            applyOverride(tree, o);
        }
        return bind(tree);
    }

    public static PretrainConfig fromJson(ObjectNode tree) {
        return bind(tree);
    }

    public static PretrainConfig read(Path file) {
        return bind(readTree(file));
    }

    private static PretrainConfig bind(ObjectNode tree) {
        PretrainConfig c;
        try {
            c = JSON.treeToValue(tree, PretrainConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("pretraining config: " + e.getOriginalMessage());
        }
        c.validate();
        return c;
    }

    private static ObjectNode readTree(Path file) {
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ObjectMapper m = name.endsWith(".json") ? JSON : YAML;
            JsonNode n = m.readTree(Files.readAllBytes(file));
            if (n == null || !n.isObject()) {
                throw new ConfigException(file + ": a pretraining config must be a mapping of sections");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read pretraining config: " + e.getMessage(), e);
        }
    }

    /** {@code optim.lr=1e-4}, {@code run.device=cuda}, {@code encoder.num_hidden_layers=4}. */
    static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override '" + override + "' must look like section.key=value");
        }
        String[] path = override.substring(0, eq).trim().split("\\.");
        String value = override.substring(eq + 1).trim();
        if (path.length != 2) {
            throw new ConfigException("override '" + override + "' must name section.key (e.g. optim.lr=1e-4)");
        }
        JsonNode section = tree.get(path[0]);
        if (!(section instanceof ObjectNode s)) {
            throw new ConfigException("override '" + override + "': no section '" + path[0]
                    + "' (sections: encoder, data, objective, optim, run)");
        }
        if (!path[0].equals("encoder") && !s.has(path[1])) {
            throw new ConfigException("override '" + override + "': section '" + path[0] + "' has no key '" + path[1]
                    + "'; keys: " + fieldNames(s));
        }
        JsonNode parsed;
        try {
            parsed = YAML.readTree(value);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isMissingNode()) {
            s.put(path[1], value);
        } else {
            s.set(path[1], parsed);
        }
    }

    private static String fieldNames(ObjectNode n) {
        StringBuilder b = new StringBuilder();
        n.fieldNames().forEachRemaining(f -> b.append(b.length() == 0 ? "" : ", ").append(f));
        return b.toString();
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    // ---- presets (docs/pretraining.md, "Optimisation", for 95m and 330m; tiny learns in minutes on a laptop CPU) ----

    static ObjectNode presetTree(String preset) {
        String p = preset == null ? "tiny" : preset.toLowerCase(Locale.ROOT);
        ObjectNode t = JSON.createObjectNode();
        switch (p) {
            case "tiny" -> {
                ObjectNode enc = MertConfig.preset("tiny").toJson();
                t.set("encoder", withoutDropout(enc));
                t.set("data", JSON.valueToTree(new Data(null, null, null, null, 2.0, 1.0, 8 * 48_000, 2, 1)));
                t.set("objective", JSON.valueToTree(new Objective(16, 0.1, 1.0, 0.0, 1.0, 336, "magnitude", "masked", 10.0, 0.8, 5, 2,
                        0.5, 3, 0.25, 0.5, 0.1, COSINE_HEAD, 1.0)));
                t.set("optim", JSON.valueToTree(new Optim(2e-3, 0.9, 0.98, 1e-6, 0.01, 30, 2000, 10.0, 1, "fp32")));
                t.set("run", JSON.valueToTree(new Run(300, 100, 3, 10, 100, 2, 5, "cpu", 0)));
            }
            case "small" -> {
                // docs/pretraining.md, "The small recipe": MERT's objective with the CQT target as log-magnitude
                // on every frame and no feature penalty, so that the CQT term and the input's detail are not lost
                ObjectNode enc = MertConfig.preset("small").toJson();
                t.set("encoder", withoutDropout(enc));
                t.set("data", JSON.valueToTree(new Data(null, null, null, null, 5.0, 2.0, 4 * 120_000, 2, 1)));
                t.set("objective", JSON.valueToTree(new Objective(64, 0.1, 1.0, 0.0, 1.0, 336, "log", "all", 0.0, 0.8, 5, 2,
                        0.5, 3, 0.25, 0.5, 0.1, COSINE_HEAD, 1.0)));
                t.set("optim", JSON.valueToTree(new Optim(1e-3, 0.9, 0.98, 1e-6, 0.01, 70, 700, 10.0, 1, "fp32")));
                t.set("run", JSON.valueToTree(new Run(700, 250, 3, 10, 100, 2, 5, "cpu", 0)));
            }
            case "cpu" -> {
                // docs/pretraining.md, "The CPU recipe": the spectrogram front at 25 frames/s and its projection frozen at
                // its initial weights, a linear head scoring
                // masked and (at half weight) unmasked frames, the log-CQT on every frame, no noise mixture,
                // 16 crops of 5 s per update (1,000 updates: 22 h of audio), warm-up over 6 % of the run and decay to zero at its end
                ObjectNode enc = MertConfig.preset("cpu").toJson();
                t.set("encoder", withoutDropout(enc));
                t.set("data", JSON.valueToTree(new Data(null, null, null, null, 5.0, 2.0, 16 * 120_000, 2, 1)));
                t.set("objective", JSON.valueToTree(new Objective(64, 0.1, 1.0, 0.5, 1.0, 84, "log", "all", 0.0, 0.8,
                        10, 2, 0.0, 3, 0.25, 0.5, 1.0, LINEAR_HEAD, 0.0)));
                t.set("optim", JSON.valueToTree(new Optim(1e-3, 0.9, 0.98, 1e-6, 0.01, 60, 1000, 1.0, 1, "fp32")));
                t.set("run", JSON.valueToTree(new Run(1000, 250, 8, 10, 100, 4, 5, "cpu", 0)));
            }
            case "95m", "v1-95m" -> {
                ObjectNode enc = MertConfig.preset("v1-95m").toJson();
                enc.put("layerdrop", 0.05);
                t.set("encoder", enc);
                t.set("data", JSON.valueToTree(new Data(null, null, null, null, 5.0, 2.0, 8 * 120_000, 2, 1)));
                t.set("objective", JSON.valueToTree(new Objective(64, 0.1, 1.0, 0.0, 1.0, 336, "magnitude", "masked", 10.0, 0.8, 5, 2,
                        0.5, 3, 0.5, 1.0, 0.1, COSINE_HEAD, 1.0)));
                t.set("optim", JSON.valueToTree(new Optim(5e-4, 0.9, 0.98, 1e-6, 0.01, 32_000, 400_000, 10.0, 1, "fp32")));
                t.set("run", JSON.valueToTree(new Run(400_000, 5000, 3, 100, 5000, 20, 5, "cpu", 0)));
            }
            case "330m", "v1-330m" -> {
                ObjectNode enc = MertConfig.preset("v1-330m").toJson();
                enc.put("layerdrop", 0.0);
                enc.put("feat_proj_dropout", 0.0);
                t.set("encoder", enc);
                t.set("data", JSON.valueToTree(new Data(null, null, null, null, 5.0, 2.0, 4 * 120_000, 2, 1)));
                t.set("objective", JSON.valueToTree(new Objective(128, 0.1, 1.0, 0.0, 1.0, 336, "magnitude", "masked", 10.0, 0.8, 5, 2,
                        0.5, 3, 0.5, 1.5, 1.0, COSINE_HEAD, 1.0)));
                t.set("optim", JSON.valueToTree(new Optim(1.5e-3, 0.9, 0.98, 1e-6, 0.01, 32_000, 400_000, 1.0, 1, "bf16")));
                t.set("run", JSON.valueToTree(new Run(400_000, 5000, 3, 100, 5000, 20, 5, "cuda", 0)));
            }
            default -> throw new ConfigException("unknown pretraining preset '" + preset
                    + "': expected tiny, small, cpu, 95m or 330m");
        }
        return t;
    }

    /** Small models learn in a few hundred updates on CPU; dropout and layer drop only slow that down. */
    private static ObjectNode withoutDropout(ObjectNode enc) {
        for (String key : List.of("hidden_dropout", "attention_dropout", "activation_dropout", "feat_proj_dropout",
                "layerdrop")) {
            enc.put(key, 0.0);
        }
        return enc;
    }

    private void validate() {
        if (encoder == null) {
            throw new ConfigException("pretraining config has no encoder section");
        }
        encoderConfig();
        check(data.cropSeconds() > 0, "data.crop_seconds must be positive");
        check(data.minSeconds() > 0 && data.minSeconds() <= data.cropSeconds(),
                "data.min_seconds must be in (0, crop_seconds]");
        check(data.maxTokens() > 0, "data.max_tokens must be positive");
        check(data.prefetch() >= 0, "data.prefetch must be >= 0");
        check(objective.finalDim() > 0, "objective.final_dim must be positive");
        check(objective.logitTemp() > 0, "objective.logit_temp must be positive");
        check(objective.maskProb() >= 0 && objective.maskProb() <= 1, "objective.mask_prob must be in [0, 1]");
        check(objective.maskLength() >= 1, "objective.mask_length must be >= 1");
        check(objective.noiseProb() >= 0 && objective.noiseProb() <= 1, "objective.noise_prob must be in [0, 1]");
        check(objective.noiseMinSeconds() <= objective.noiseMaxSeconds(), "objective.noise_min_seconds > noise_max_seconds");
        check(objective.featureGradMult() >= 0 && objective.featureGradMult() <= 1,
                "objective.feature_grad_mult must be in [0, 1]");
        check(List.of("magnitude", "log").contains(objective.cqtTarget()),
                "objective.cqt_target must be magnitude (MERT) or log (log-magnitude standardised per clip)");
        check(objective.projectionGradMult() >= 0 && objective.projectionGradMult() <= 1,
                "objective.projection_grad_mult must be in [0, 1]");
        check(List.of(COSINE_HEAD, LINEAR_HEAD).contains(objective.head()),
                "objective.head must be cosine (MERT) or linear");
        check(List.of("masked", "all").contains(objective.cqtFrames()),
                "objective.cqt_frames must be masked (MERT) or all");
        check(objective.cqtBins() >= 7, "objective.cqt_bins must be at least 7 (the CQT spans 7 octaves)");
        check(objective.acousticWeight() >= 0 && objective.unmaskedWeight() >= 0 && objective.cqtWeight() >= 0
                && objective.featurePenalty() >= 0, "objective weights must be >= 0");
        check(objective.acousticWeight() > 0 || objective.unmaskedWeight() > 0,
                "objective.acoustic_weight or objective.unmasked_weight must be positive");
        check(optim.lr() > 0, "optim.lr must be positive");
        check(optim.beta1() >= 0 && optim.beta1() < 1 && optim.beta2() >= 0 && optim.beta2() < 1,
                "optim.beta1 and beta2 must be in [0, 1)");
        check(optim.totalSteps() > 0 && optim.warmupSteps() >= 0, "optim.total_steps must be positive, warmup_steps >= 0");
        check(optim.gradAccum() >= 1, "optim.grad_accum must be >= 1");
        check(List.of("fp32", "bf16", "fp16").contains(optim.precision()), "optim.precision must be fp32, bf16 or fp16");
        check(run.maxSteps() > 0, "run.max_steps must be positive");
        check(run.saveEvery() > 0 && run.keepLast() >= 1 && run.logEvery() > 0, "run.save_every, keep_last and log_every must be positive");
        check(run.maxBadSteps() >= 1, "run.max_bad_steps must be >= 1");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }

    /** A copy with one section.key replaced (for resumes that extend max_steps, and for tests). */
    public PretrainConfig with(String override) {
        ObjectNode t = toJson();
        applyOverride(t, override);
        return bind(t);
    }

    @JsonProperty("encoder")
    public ObjectNode encoder() {
        return encoder;
    }
}
