package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.CheckpointFiles;
import org.mert4j.io.StateDict;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * MERT's CQT input front ({@code feature_extractor_cqt}) against the computation of MERT's model code, made by
 * tools/reference/make_cqt_input_fixture.py from transformers' Hubert modules and the direct CQT1992v2
 * reference: conv features and CQT magnitude joined, feature projection over the joined width, transformer.
 * Tolerance 1e-4 max abs as for the other encoder fixtures (fp32, other summation orders).
 */
class CqtInputFixtureTest {
    private static final Path DIR = Fixtures.ROOT.resolve("cqt-input");

    @Test
    void hiddenStatesMatchTheReferenceOnTheCpuPlanAndThePlainEncoder() {
        FloatArray input = Fixtures.npy(DIR.resolve("input.npy"));
        FloatArray expected = Fixtures.npy(DIR.resolve("hidden_states.npy"));
        try (MertModel model = MertModel.load(DIR)) {
            assertTrue(model.config().hasCqtInput());
            assertEquals(84, model.config().cqtInputBins());
            FloatArray fast = model.hiddenStates(input.data(), 24000);
            assertArrayEquals(expected.shape(), fast.shape(), "shape [L+1, T, H]");
            double errFast = Fixtures.maxAbsDiff(expected.data(), fast.data());
            float[] plain;
            try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
                model.encoder().eval();
                List<Tensor> states = model.encoder().forward(Tensors.fromFloats(input.data(), 1, input.data().length));
                plain = Tensors.toFloats(torch.stack(new TensorVector(
                        states.toArray(new Tensor[0]))).squeeze(1));
            }
            double errPlain = Fixtures.maxAbsDiff(expected.data(), plain);
            System.out.printf("cqt-input: CPU plan max abs error %.3g, plain encoder %.3g%n", errFast, errPlain);
            assertTrue(errFast < EncoderFixtureTest.TOLERANCE, "CPU plan: max abs error " + errFast);
            assertTrue(errPlain < EncoderFixtureTest.TOLERANCE, "plain encoder: max abs error " + errPlain);
        }
    }

    @Test
    void theCqtChangesTheOutput() {
        // the same weights without the CQT part of the projection's input would not even load, so check the
        // front's contribution directly: silence in the CQT bins' columns of the projection changes every state
        FloatArray input = Fixtures.npy(DIR.resolve("input.npy"));
        FloatArray expected = Fixtures.npy(DIR.resolve("hidden_states.npy"));
        try (MertModel model = MertModel.load(DIR); PointerScope scope = new PointerScope();
             InferenceMode guard = new InferenceMode()) {
            Tensor w = model.encoder().featureProjection().projection.weight;
            int conv = model.config().convFront().outputDim();
            try (NoGradGuard noGrad = new NoGradGuard()) {
                w.narrow(1, conv, model.config().cqtInputBins()).zero_();
            }
            model.encoder().eval();
            List<Tensor> states = model.encoder().forward(Tensors.fromFloats(input.data(), 1, input.data().length));
            float[] last = Tensors.toFloats(states.get(states.size() - 1));
            int per = last.length;
            float[] want = new float[per];
            System.arraycopy(expected.data(), expected.data().length - per, want, 0, per);
            assertTrue(Fixtures.maxAbsDiff(want, last) > 1e-2, "the CQT columns must matter");
        }
    }

    @Test
    void mertsStoredCqtKernelsAreSkippedOnlyWhenTheConfigHasTheFront() {
        try (StateDict state = CheckpointFiles.load(DIR)) {
            Map<String, Tensor> withBank = new LinkedHashMap<>(state.asMap());
            withBank.put("feature_extractor_cqt.cqt_kernels_real", torch.zeros(84, 1, 8));
            MertEncoder encoder = new MertEncoder(MertConfig.fromJson(DIR.resolve("config.json")));
            WeightLoader.load(encoder, withBank, "with-bank"); // no error: rebuilt from the config

            ObjectNode plainJson = MertConfig.fromJson(DIR.resolve("config.json")).toJson();
            plainJson.put("feature_extractor_cqt", false);
            MertEncoder plainEncoder = new MertEncoder(MertConfig.fromJson(plainJson));
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> WeightLoader.load(plainEncoder, withBank, "with-bank"));
            assertTrue(e.getMessage().contains("feature_extractor_cqt.cqt_kernels_real"), e.getMessage());
            assertTrue(e.getMessage().contains("feature_projection.projection.weight"),
                    "the projection width differs too: " + e.getMessage());
        }
    }

    @Test
    void configRoundTripsAndRefusesBinCountsThatAreNotSevenOctaves() throws Exception {
        MertConfig c = MertConfig.fromJson(DIR.resolve("config.json"));
        ObjectNode json = c.toJson();
        assertTrue(json.get("feature_extractor_cqt").asBoolean());
        assertEquals(84, json.get("feature_extractor_cqt_bins").asInt());
        assertEquals(c, MertConfig.fromJson(json));
        assertEquals(c.convFront().outputDim() + 84, c.projectionInputDim());

        ObjectNode off = new ObjectMapper().createObjectNode();
        off.put("feature_extractor_cqt_bins", 100);
        assertFalse(MertConfig.fromJson(off).hasCqtInput(), "bins alone do not switch the front on");
        off.put("feature_extractor_cqt", true);
        ConfigException bad = assertThrows(ConfigException.class, () -> MertConfig.fromJson(off));
        assertTrue(bad.getMessage().contains("feature_extractor_cqt_bins"), bad.getMessage());
    }
}
