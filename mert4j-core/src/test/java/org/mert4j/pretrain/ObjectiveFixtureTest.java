package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mert4j.dsp.Cqt;
import org.mert4j.io.SafetensorsReader;
import org.mert4j.io.StateDict;
import org.mert4j.model.MertConfig;
import org.mert4j.model.WeightLoader;
import org.mert4j.tensor.Tensors;

/**
 * MERT's pretraining objective against the reference made by tools/reference/make_objective_fixtures.py
 * (the MERT repository's model and HuBERT criterion semantics on transformers' HubertModel): the same
 * weights, noisy batch, CQT target, masks and labels must give the same loss parts and gradients. A third
 * case scores the CQT on every frame ({@code cqt_frames: all}, mert4j's extension), computed the same way.
 * Tolerances: loss parts 1e-5 relative; gradients 1e-4 of the largest gradient of the tensor (fp32,
 * different kernels and summation orders).
 */
class ObjectiveFixtureTest {
    static final Path DIR = Path.of("src", "test", "resources", "pretrain", "objective");
    private static JsonNode fixture;
    private static StateDict tensors;

    @BeforeAll
    static void read() throws Exception {
        fixture = new ObjectMapper().readTree(DIR.resolve("case.json").toFile());
        tensors = SafetensorsReader.read(DIR.resolve("case.safetensors"));
    }

    @AfterAll
    static void close() {
        tensors.close();
    }

    private static JsonNode settings() {
        return fixture.get("settings");
    }

    private static float[][] rows(String name) {
        Tensor t = tensors.get(name);
        float[] flat = Tensors.toFloats(t);
        int b = (int) t.size(0);
        int n = (int) t.size(1);
        float[][] out = new float[b][n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * n, out[i], 0, n);
        }
        return out;
    }

    private static PretrainBatch batch() {
        float[][] noisy = rows("noisy");
        Tensor cqtT = tensors.get("cqt");
        int b = (int) cqtT.size(0);
        int frames = (int) cqtT.size(1);
        int bins = (int) cqtT.size(2);
        float[] cqtFlat = Tensors.toFloats(cqtT);
        float[][][] cqt = new float[b][frames][bins];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < frames; t++) {
                System.arraycopy(cqtFlat, (i * frames + t) * bins, cqt[i][t], 0, bins);
            }
        }
        long[] maskFlat = Tensors.toLongs(tensors.get("mask"));
        boolean[][] masks = new boolean[b][frames];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < frames; t++) {
                masks[i][t] = maskFlat[i * frames + t] != 0;
            }
        }
        int streams = settings().get("classes").size();
        int[][][] labels = new int[streams][b][frames];
        for (int k = 0; k < streams; k++) {
            long[] flat = Tensors.toLongs(tensors.get("labels_" + k));
            for (int i = 0; i < b; i++) {
                for (int t = 0; t < frames; t++) {
                    labels[k][i][t] = (int) flat[i * frames + t];
                }
            }
        }
        return new PretrainBatch(noisy, cqt, labels, masks, new int[b]);
    }

    private static PretrainConfig config(JsonNode c) {
        JsonNode s = settings();
        return PretrainConfig.load("tiny", null, List.of("objective.final_dim=" + s.get("final_dim").asInt(),
                "objective.logit_temp=" + s.get("logit_temp").asDouble(),
                "objective.acoustic_weight=" + c.get("masked_weight").asDouble(),
                "objective.unmasked_weight=" + c.get("unmasked_weight").asDouble(),
                "objective.cqt_weight=" + s.get("cqt_weight").asDouble(),
                "objective.cqt_bins=" + s.get("cqt_bins").asInt(),
                "objective.cqt_frames=" + c.get("cqt_frames").asText(),
                "objective.feature_penalty=" + s.get("feature_penalty").asDouble(),
                "objective.feature_grad_mult=" + s.get("feature_grad_mult").asDouble()));
    }

    private static MertPretrainModel model(PretrainConfig config) {
        MertConfig encoder = MertConfig.fromJson(DIR.resolve("config.json"));
        int[] classes = new int[settings().get("classes").size()];
        for (int k = 0; k < classes.length; k++) {
            classes[k] = settings().get("classes").get(k).asInt();
        }
        MertPretrainModel m = new MertPretrainModel(encoder, classes, config.objective());
        try (StateDict weights = SafetensorsReader.read(DIR.resolve("model.safetensors"))) {
            WeightLoader.load(m.encoder(), weights.asMap(), "objective fixture");
        }
        Map<String, Tensor> params = Checkpoints.namedParameters(m);
        try (NoGradGuard g = new NoGradGuard()) {
            for (String head : List.of("final_proj.weight", "final_proj.bias", "label_embs_concat", "cqt_proj.weight",
                    "cqt_proj.bias")) {
                params.get(head).copy_(tensors.get(head));
            }
        }
        m.train(true);
        return m;
    }

    private static void assertRelative(double expected, double actual, String what) {
        double rel = Math.abs(actual - expected) / Math.max(1e-12, Math.abs(expected));
        System.out.printf("  %-28s reference %.7g, mert4j %.7g, relative error %.2g%n", what, expected, actual, rel);
        assertTrue(rel < 1e-5, what + ": reference " + expected + ", mert4j " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"masked", "with_unmasked", "cqt_all_frames"})
    void lossPartsAndGradientsMatchTheReference(String name) {
        JsonNode c = fixture.get("cases").get(name);
        System.out.println("objective case " + name + ":");
        try (PointerScope scope = new PointerScope(); MertPretrainModel m = model(config(c))) {
            PretrainBatch b = batch();
            MertPretrainModel.Sums s = m.forward(b, new Device("cpu"));
            MertPretrainModel.Counts counts = MertPretrainModel.Counts.of(b, 16);
            assertEquals(c.get("masked_frames").asLong(), counts.masked());
            assertEquals(c.get("unmasked_frames").asLong(), counts.unmasked());
            double ceMasked = 0;
            double ceUnmasked = 0;
            for (int k = 0; k < c.get("ce_masked").size(); k++) {
                ceMasked += c.get("ce_masked").get(k).asDouble();
                ceUnmasked += c.get("ce_unmasked").get(k).asDouble();
            }
            double wm = c.get("masked_weight").asDouble();
            double wu = c.get("unmasked_weight").asDouble();
            MertPretrainModel.Terms t = m.terms(s, counts);
            assertRelative(ceMasked, s.maskedCe().item_double(), "masked cross-entropy sum");
            if (wu > 0) {
                assertRelative(ceUnmasked, s.unmaskedCe().item_double(), "unmasked cross-entropy sum");
            }
            assertRelative((wm * ceMasked + wu * ceUnmasked) / c.get("sample_size").asDouble(), t.acoustic().item_double(),
                    "acoustic term");
            assertRelative(c.get("cqt_mse").asDouble(), t.cqt().item_double(),
                    "CQT term (mse, " + c.get("cqt_frames").asText() + " frames)");
            assertRelative(settings().get("feature_penalty").asDouble() * c.get("penalty").asDouble(),
                    t.penalty().item_double(), "penalty term (10 x mean)");
            Tensor total = t.total();
            assertRelative(c.get("total").asDouble(), total.item_double(), "total");

            total.backward();
            Map<String, Tensor> params = Checkpoints.namedParameters(m);
            List<String> failures = new ArrayList<>();
            for (JsonNode g : settings().get("gradients")) {
                String ref = g.asText();
                String own = params.containsKey(ref) ? ref : "mert." + ref;
                float[] expected = Tensors.toFloats(tensors.get(name + ".grad." + ref));
                float[] actual = Tensors.toFloats(params.get(own).grad());
                assertEquals(expected.length, actual.length, ref);
                double scale = 0;
                double err = 0;
                for (int i = 0; i < expected.length; i++) {
                    scale = Math.max(scale, Math.abs(expected[i]));
                    err = Math.max(err, Math.abs(expected[i] - actual[i]));
                }
                System.out.printf("  grad %-50s largest %.3g, max abs error %.2g (%.2g of largest)%n", ref, scale, err,
                        err / scale);
                if (!(err <= 1e-4 * scale)) {
                    failures.add(ref + ": max abs error " + err + " against largest " + scale);
                }
            }
            assertTrue(failures.isEmpty(), String.join("; ", failures));
        }
    }

    @Test
    void cqtTargetIsTheMusicalTeachersCqtOfTheCleanClips() {
        MertConfig encoder = MertConfig.fromJson(DIR.resolve("config.json"));
        float[][] clean = rows("clean");
        Tensor expected = tensors.get("cqt");
        int frames = (int) expected.size(1);
        Cqt cqt = new Cqt(MertPretrainModel.cqtTargetConfig(encoder, settings().get("cqt_bins").asInt()));
        float[][][] target = MertPretrainModel.cqtTarget(cqt, clean, frames, false);
        float[] want = Tensors.toFloats(expected);
        double largest = 0;
        double err = 0;
        int i = 0;
        for (float[][] clip : target) {
            for (float[] frame : clip) {
                for (float v : frame) {
                    largest = Math.max(largest, Math.abs(want[i]));
                    err = Math.max(err, Math.abs(want[i++] - v));
                }
            }
        }
        assertEquals(want.length, i);
        System.out.printf("CQT target vs reference: max abs error %.3g of largest %.3g%n", err, largest);
        assertTrue(err < 1e-4 * largest, "CQT target error " + err);
    }

    /** The fixture's noise segments, laid over the clean clips as MERT does, give its noisy clips. */
    @Test
    void noiseSegmentsComeFromTheOtherClipsLaidEndToEnd() {
        List<NoiseMixture.Segment> segments = new ArrayList<>();
        for (JsonNode s : settings().get("noise_segments")) {
            segments.add(new NoiseMixture.Segment(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt()));
        }
        assertTrue(segments.stream().anyMatch(s -> s.from() + s.length() > 14400),
                "the fixture should have a segment crossing from one clip into the next");
        float[][] noisy = NoiseMixture.add(rows("clean"), segments);
        float[][] expected = rows("noisy");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], noisy[i], 1e-6f, "clip " + i);
        }
    }
}
