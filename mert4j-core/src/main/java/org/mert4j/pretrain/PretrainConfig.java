package org.mert4j.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.mert4j.model.ConfigException;
import org.mert4j.model.ConfigName;
import org.mert4j.model.MertConfig;
import org.mert4j.pretrain.Objective.Acoustic;
import org.mert4j.pretrain.Objective.CqtLoss;
import org.mert4j.pretrain.Objective.FrontTraining;
import org.mert4j.pretrain.Objective.Masking;
import org.mert4j.pretrain.Objective.Noise;

/**
 * Everything a pretraining run needs (docs/pretraining.md), as a tree of records read from YAML or JSON.
 * A run starts from a preset ({@code tiny}, {@code small}, {@code cpu}, {@code 95m}, {@code 330m}), takes a config file over it,
 * then {@code section.key=value} overrides from the command line. The resolved tree is saved in the
 * run folder so that a resumed run continues with exactly the same settings.
 */
public record PretrainConfig(Encoder encoder, Data data, Objective objective, Optim optim, Run run) {

    /**
     * The encoder section: the Hugging Face {@code config.json} keys as the config gives them (written back
     * unchanged), and the {@link MertConfig} read from them once (by {@link #read}, which binding calls).
     */
    public record Encoder(ObjectNode json, MertConfig config) {
        public Encoder {
            json = json.deepCopy();
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Encoder read(ObjectNode json) {
            return new Encoder(json, MertConfig.fromJson(json.deepCopy()));
        }

        /** A copy of the section. */
        @JsonValue
        @Override
        public ObjectNode json() {
            return json.deepCopy();
        }
    }

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
            long seed) {

        /** The 95m preset's: 5 s crops (at least 2 s), 8 crops of 5 s at 24 kHz per batch, no files named. */
        public static final Data MERT = new Data(null, null, null, null, 5.0, 2.0, 8 * 120_000, 2, 1);

        public Data withCropSeconds(double seconds) {
            return new Data(manifest, validManifest, labels, validLabels, seconds, minSeconds, maxTokens, prefetch, seed);
        }

        public Data withMinSeconds(double seconds) {
            return new Data(manifest, validManifest, labels, validLabels, cropSeconds, seconds, maxTokens, prefetch, seed);
        }

        public Data withMaxTokens(int samples) {
            return new Data(manifest, validManifest, labels, validLabels, cropSeconds, minSeconds, samples, prefetch, seed);
        }
    }

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
            PrecisionMode precision) {

        /** MERT's (the 95m preset's). */
        public static final Optim MERT = new Optim(5e-4, 0.9, 0.98, 1e-6, 0.01, 32_000, 400_000, 10.0, 1,
                PrecisionMode.FP32);

        public Optim withLr(double v) {
            return new Optim(v, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, clipNorm, gradAccum, precision);
        }

        public Optim withWarmupSteps(int v) {
            return new Optim(lr, beta1, beta2, eps, weightDecay, v, totalSteps, clipNorm, gradAccum, precision);
        }

        public Optim withTotalSteps(int v) {
            return new Optim(lr, beta1, beta2, eps, weightDecay, warmupSteps, v, clipNorm, gradAccum, precision);
        }

        public Optim withClipNorm(double v) {
            return new Optim(lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, v, gradAccum, precision);
        }

        public Optim withPrecision(PrecisionMode v) {
            return new Optim(lr, beta1, beta2, eps, weightDecay, warmupSteps, totalSteps, clipNorm, gradAccum, v);
        }
    }

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
            int threads) {

        /** The 95m preset's. */
        public static final Run MERT = new Run(400_000, 5000, 3, 100, 5000, 20, 5, "cpu", 0);

        public Run withMaxSteps(int v) {
            return new Run(v, saveEvery, keepLast, logEvery, validEvery, validBatches, maxBadSteps, device, threads);
        }

        public Run withSaveEvery(int v) {
            return new Run(maxSteps, v, keepLast, logEvery, validEvery, validBatches, maxBadSteps, device, threads);
        }

        public Run withKeepLast(int v) {
            return new Run(maxSteps, saveEvery, v, logEvery, validEvery, validBatches, maxBadSteps, device, threads);
        }

        public Run withLogEvery(int v) {
            return new Run(maxSteps, saveEvery, keepLast, v, validEvery, validBatches, maxBadSteps, device, threads);
        }

        public Run withValidEvery(int v) {
            return new Run(maxSteps, saveEvery, keepLast, logEvery, v, validBatches, maxBadSteps, device, threads);
        }

        public Run withValidBatches(int v) {
            return new Run(maxSteps, saveEvery, keepLast, logEvery, validEvery, v, maxBadSteps, device, threads);
        }

        public Run withDevice(String v) {
            return new Run(maxSteps, saveEvery, keepLast, logEvery, validEvery, validBatches, maxBadSteps, v, threads);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The encoder, read once from the encoder section. */
    public MertConfig encoderConfig() {
        return encoder.config();
    }

    /** Sample rate of the encoder, which is also the rate crops and labels are cut at. */
    public int sampleRate() {
        return encoder.config().sampleRate();
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
        } catch (JsonProcessingException e) {
            throw configError(e);
        }
        c.validate();
        return c;
    }

    /**
     * The error of a section that cannot be bound: the {@link ConfigException} a part of it threw while being read
     * (Jackson wraps it), else Jackson's own message.
     */
    static ConfigException configError(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        return new ConfigException("pretraining config: "
                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
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
        return switch (p) {
            case "tiny" -> tree(withoutDropout(MertConfig.preset("tiny").toJson()),
                    Data.MERT.withCropSeconds(2.0).withMinSeconds(1.0).withMaxTokens(8 * 48_000),
                    Objective.MERT.withAcoustic(new Acoustic(AcousticHead.COSINE, 16, 0.1, 1.0, 0.0))
                            .withNoise(new Noise(0.5, 3, 0.25, 0.5)),
                    Optim.MERT.withLr(2e-3).withWarmupSteps(30).withTotalSteps(2000),
                    Run.MERT.withMaxSteps(300).withSaveEvery(100).withLogEvery(10).withValidEvery(100)
                            .withValidBatches(2));
            // docs/pretraining.md, "The small recipe": MERT's objective with the CQT target as log-magnitude on every
            // frame and no feature penalty, so that the CQT term and the input's detail are not lost
            case "small" -> tree(withoutDropout(MertConfig.preset("small").toJson()),
                    Data.MERT.withMaxTokens(4 * 120_000),
                    Objective.MERT.withCqt(new CqtLoss(1.0, 336, CqtTarget.LOG, CqtFrames.ALL))
                            .withFront(new FrontTraining(0.0, 0.1, 1.0))
                            .withNoise(new Noise(0.5, 3, 0.25, 0.5)),
                    Optim.MERT.withLr(1e-3).withWarmupSteps(70).withTotalSteps(700),
                    Run.MERT.withMaxSteps(700).withSaveEvery(250).withLogEvery(10).withValidEvery(100)
                            .withValidBatches(2));
            // docs/pretraining.md, "The CPU recipe": the spectrogram front at 25 frames/s and its projection frozen at
            // its initial weights, a linear head scoring masked and (at half weight) unmasked frames, the log-CQT on
            // every frame, no noise mixture, 16 crops of 5 s per update (1,000 updates: 22 h of audio), warm-up over
            // 6 % of the run and decay to zero at its end
            case "cpu" -> tree(withoutDropout(MertConfig.preset("cpu").toJson()),
                    Data.MERT.withMaxTokens(16 * 120_000),
                    Objective.MERT.withAcoustic(new Acoustic(AcousticHead.LINEAR, 64, 0.1, 1.0, 0.5))
                            .withCqt(new CqtLoss(1.0, 84, CqtTarget.LOG, CqtFrames.ALL))
                            .withFront(new FrontTraining(0.0, 1.0, 0.0))
                            .withMasking(new Masking(0.8, 10, 2))
                            .withNoise(new Noise(0.0, 3, 0.25, 0.5)),
                    Optim.MERT.withLr(1e-3).withWarmupSteps(60).withTotalSteps(1000).withClipNorm(1.0),
                    Run.MERT.withMaxSteps(1000).withSaveEvery(250).withKeepLast(8).withLogEvery(10).withValidEvery(100)
                            .withValidBatches(4));
            case "95m", "v1-95m" -> {
                ObjectNode enc = MertConfig.preset("v1-95m").toJson();
                enc.put("layerdrop", 0.05);
                yield tree(enc, Data.MERT, Objective.MERT, Optim.MERT, Run.MERT);
            }
            case "330m", "v1-330m" -> {
                ObjectNode enc = MertConfig.preset("v1-330m").toJson();
                enc.put("layerdrop", 0.0);
                enc.put("feat_proj_dropout", 0.0);
                yield tree(enc, Data.MERT.withMaxTokens(4 * 120_000),
                        Objective.MERT.withAcoustic(new Acoustic(AcousticHead.COSINE, 128, 0.1, 1.0, 0.0))
                                .withFront(new FrontTraining(10.0, 1.0, 1.0))
                                .withNoise(new Noise(0.5, 3, 0.5, 1.5)),
                        Optim.MERT.withLr(1.5e-3).withClipNorm(1.0).withPrecision(PrecisionMode.BF16),
                        Run.MERT.withDevice("cuda"));
            }
            default -> throw new ConfigException("unknown pretraining preset '" + preset
                    + "': expected tiny, small, cpu, 95m or 330m");
        };
    }

    /** The sections of a preset, as a tree that a config file and overrides then change. */
    private static ObjectNode tree(ObjectNode encoder, Data data, Objective objective, Optim optim, Run run) {
        ObjectNode t = JSON.createObjectNode();
        t.set("encoder", encoder);
        t.set("data", JSON.valueToTree(data));
        t.set("objective", objective.toJson());
        t.set("optim", JSON.valueToTree(optim));
        t.set("run", JSON.valueToTree(run));
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
        check(data.cropSeconds() > 0, "data.crop_seconds must be positive");
        check(data.minSeconds() > 0 && data.minSeconds() <= data.cropSeconds(),
                "data.min_seconds must be in (0, crop_seconds]");
        check(data.maxTokens() > 0, "data.max_tokens must be positive");
        check(data.prefetch() >= 0, "data.prefetch must be >= 0");
        Objective.Acoustic acoustic = objective.acoustic();
        Objective.CqtLoss cqt = objective.cqt();
        Objective.FrontTraining front = objective.front();
        check(acoustic.finalDim() > 0, "objective.final_dim must be positive");
        check(acoustic.logitTemp() > 0, "objective.logit_temp must be positive");
        check(objective.masking().prob() >= 0 && objective.masking().prob() <= 1, "objective.mask_prob must be in [0, 1]");
        check(objective.masking().length() >= 1, "objective.mask_length must be >= 1");
        check(objective.noise().prob() >= 0 && objective.noise().prob() <= 1, "objective.noise_prob must be in [0, 1]");
        check(objective.noise().minSeconds() <= objective.noise().maxSeconds(),
                "objective.noise_min_seconds > noise_max_seconds");
        check(front.featureGradMult() >= 0 && front.featureGradMult() <= 1,
                "objective.feature_grad_mult must be in [0, 1]");
        check(cqt.target() != null, "objective.cqt_target must be set; accepted: "
                + String.join(", ", ConfigName.names(CqtTarget.class)));
        check(front.projectionGradMult() >= 0 && front.projectionGradMult() <= 1,
                "objective.projection_grad_mult must be in [0, 1]");
        check(cqt.frames() != null, "objective.cqt_frames must be set; accepted: "
                + String.join(", ", ConfigName.names(CqtFrames.class)));
        check(cqt.bins() >= 7, "objective.cqt_bins must be at least 7 (the CQT spans 7 octaves)");
        check(acoustic.weight() >= 0 && acoustic.unmaskedWeight() >= 0 && cqt.weight() >= 0
                && front.featurePenalty() >= 0, "objective weights must be >= 0");
        check(acoustic.weight() > 0 || acoustic.unmaskedWeight() > 0,
                "objective.acoustic_weight or objective.unmasked_weight must be positive");
        check(optim.lr() > 0, "optim.lr must be positive");
        check(optim.beta1() >= 0 && optim.beta1() < 1 && optim.beta2() >= 0 && optim.beta2() < 1,
                "optim.beta1 and beta2 must be in [0, 1)");
        check(optim.totalSteps() > 0 && optim.warmupSteps() >= 0, "optim.total_steps must be positive, warmup_steps >= 0");
        check(optim.gradAccum() >= 1, "optim.grad_accum must be >= 1");
        check(optim.precision() != null, "optim.precision must be set; accepted: "
                + String.join(", ", ConfigName.names(PrecisionMode.class)));
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
}
