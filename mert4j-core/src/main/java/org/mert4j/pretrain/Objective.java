package org.mert4j.pretrain;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.model.ConfigException;

/**
 * The MERT objective (docs/pretraining.md, "Objective"): the acoustic head over the teacher's labels, the CQT
 * reconstruction, how the input front is trained, span masking and the in-batch noise mixture. In a config it is
 * one flat {@code objective} section ({@code final_dim}, {@code cqt_bins}, {@code mask_prob}, ...), in the key order
 * of {@link #KEYS}; each part names its own keys.
 */
public record Objective(Acoustic acoustic, CqtLoss cqt, FrontTraining front, Masking masking, Noise noise) {

    /**
     * The acoustic head, which predicts the teacher's labels of masked frames.
     * @param head           {@code head}
     * @param finalDim       {@code final_dim}: width of the projection the cosine head compares with label embeddings
     * @param logitTemp      {@code logit_temp}: the cosine logits' temperature
     * @param weight         {@code acoustic_weight}: weight of the cross-entropy over masked frames
     * @param unmaskedWeight {@code unmasked_weight}: weight of the cross-entropy over unmasked frames
     */
    public record Acoustic(
            @JsonProperty("head") AcousticHead head,
            @JsonProperty("final_dim") int finalDim,
            @JsonProperty("logit_temp") double logitTemp,
            @JsonProperty("acoustic_weight") double weight,
            @JsonProperty("unmasked_weight") double unmaskedWeight) {
        public Acoustic {
            head = head == null ? AcousticHead.COSINE : head; // configs written before the option existed
        }
    }

    /**
     * The CQT head, which regresses the clean clip's CQT (MERT's musical teacher).
     * @param weight {@code cqt_weight}
     * @param bins   {@code cqt_bins}: bins over 7 octaves from 32.7 Hz
     * @param target {@code cqt_target}
     * @param frames {@code cqt_frames}
     */
    public record CqtLoss(
            @JsonProperty("cqt_weight") double weight,
            @JsonProperty("cqt_bins") int bins,
            @JsonProperty("cqt_target") CqtTarget target,
            @JsonProperty("cqt_frames") CqtFrames frames) {}

    /**
     * How the input front learns.
     * @param featurePenalty     {@code feature_penalty}: weight of the L2 penalty on the conv features
     * @param featureGradMult    {@code feature_grad_mult}: multiplier of the conv front's gradient
     * @param projectionGradMult {@code projection_grad_mult}: multiplier of the feature projection's gradient: 1
     *                           trains it, 0 keeps it at its initial weights (the CPU recipe), so that training cannot
     *                           take out of the transformer's input what the front gives it
     */
    public record FrontTraining(
            @JsonProperty("feature_penalty") double featurePenalty,
            @JsonProperty("feature_grad_mult") double featureGradMult,
            @JsonProperty("projection_grad_mult") double projectionGradMult) {

        @JsonCreator
        static FrontTraining read(@JsonProperty("feature_penalty") double featurePenalty,
                                  @JsonProperty("feature_grad_mult") double featureGradMult,
                                  @JsonProperty("projection_grad_mult") Double projectionGradMult) {
            // configs written before projection_grad_mult existed train the projection
            return new FrontTraining(featurePenalty, featureGradMult, projectionGradMult == null ? 1.0 : projectionGradMult);
        }
    }

    /**
     * Span masking of the encoder's frames ({@link SpanMasking}).
     * @param prob     {@code mask_prob}: share of frames that start a span
     * @param length   {@code mask_length}: frames per span
     * @param minMasks {@code min_masks}: spans per clip at least
     */
    public record Masking(
            @JsonProperty("mask_prob") double prob,
            @JsonProperty("mask_length") int length,
            @JsonProperty("min_masks") int minMasks) {

        public SpanMasking spans() {
            return new SpanMasking(prob, length, minMasks);
        }
    }

    /**
     * The in-batch noise mixture ({@link NoiseMixture}): other clips of the batch mixed into a clip's input.
     * @param prob        {@code noise_prob}: probability that a clip is mixed
     * @param maxSegments {@code noise_max_segments}
     * @param minSeconds  {@code noise_min_seconds}: shortest segment
     * @param maxSeconds  {@code noise_max_seconds}: longest segment
     */
    public record Noise(
            @JsonProperty("noise_prob") double prob,
            @JsonProperty("noise_max_segments") int maxSegments,
            @JsonProperty("noise_min_seconds") double minSeconds,
            @JsonProperty("noise_max_seconds") double maxSeconds) {}

    /** MERT's objective (the 95m preset): what the other presets change parts of. */
    public static final Objective MERT = new Objective(
            new Acoustic(AcousticHead.COSINE, 64, 0.1, 1.0, 0.0),
            new CqtLoss(1.0, 336, CqtTarget.MAGNITUDE, CqtFrames.MASKED),
            new FrontTraining(10.0, 0.1, 1.0),
            new Masking(0.8, 5, 2),
            new Noise(0.5, 3, 0.5, 1.0));

    /** The keys of the {@code objective} section, in the order configs have always been written with. */
    static final List<String> KEYS = List.of("final_dim", "logit_temp", "acoustic_weight", "unmasked_weight",
            "cqt_weight", "cqt_bins", "cqt_target", "cqt_frames", "feature_penalty", "mask_prob", "mask_length",
            "min_masks", "noise_prob", "noise_max_segments", "noise_min_seconds", "noise_max_seconds",
            "feature_grad_mult", "head", "projection_grad_mult");

    // each part reads its own keys of the flat section; fromJson refuses keys that no part has
    private static final ObjectReader PART = PretrainConfig.JSON.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Objective withAcoustic(Acoustic a) {
        return new Objective(a, cqt, front, masking, noise);
    }

    public Objective withCqt(CqtLoss c) {
        return new Objective(acoustic, c, front, masking, noise);
    }

    public Objective withFront(FrontTraining f) {
        return new Objective(acoustic, cqt, f, masking, noise);
    }

    public Objective withMasking(Masking m) {
        return new Objective(acoustic, cqt, front, m, noise);
    }

    public Objective withNoise(Noise n) {
        return new Objective(acoustic, cqt, front, masking, n);
    }

    public boolean linearHead() {
        return acoustic.head() == AcousticHead.LINEAR;
    }

    /** The flat {@code objective} section. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode parts = PretrainConfig.JSON.createObjectNode();
        for (Object part : List.of(acoustic, cqt, front, masking, noise)) {
            parts.setAll((ObjectNode) PretrainConfig.JSON.valueToTree(part));
        }
        ObjectNode section = PretrainConfig.JSON.createObjectNode();
        for (String key : KEYS) {
            section.set(key, parts.get(key));
        }
        return section;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Objective fromJson(ObjectNode section) {
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigException("objective has no key '" + key + "'; keys: " + String.join(", ", KEYS));
            }
        }
        return new Objective(part(section, Acoustic.class), part(section, CqtLoss.class),
                part(section, FrontTraining.class), part(section, Masking.class), part(section, Noise.class));
    }

    private static <T> T part(ObjectNode section, Class<T> type) {
        try {
            return PART.forType(type).readValue(section);
        } catch (IOException e) {
            throw PretrainConfig.configError(e);
        }
    }
}
