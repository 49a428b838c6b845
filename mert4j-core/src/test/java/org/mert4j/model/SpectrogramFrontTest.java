package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.dsp.MelSpectrogram;
import org.mert4j.dsp.MelSpectrogramConfig;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/** The spectrogram input front: frame arithmetic, the layout of its frames, config round trips and refusals. */
class SpectrogramFrontTest {

    @Test
    void thePresetRunsAt25FramesPerSecond() {
        MertConfig c = MertConfig.preset("cpu");
        assertTrue(c.hasSpectrogramFront());
        assertEquals(960, c.totalStride());
        assertEquals(25.0, c.frameRate());
        assertEquals(125, c.framesFor(120_000));
        assertEquals(0, c.framesFor(2047), "shorter than one FFT window");
        assertEquals(2, c.framesFor(2048));
        assertEquals(3 * (128 + 84), c.projectionInputDim());
    }

    @Test
    void encoderFramesStackMelThenCqtOfConsecutiveSpectrogramFrames() {
        MertConfig c = MertConfig.preset("cpu");
        float[] wave = noise(24_000, 3);
        SpectrogramInputFront front = new SpectrogramInputFront(c);
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor x = Tensors.fromFloats(wave, 1, wave.length);
            float[] got = Tensors.toFloats(front.forward(x)); // [1, 25, 3 * 212]
            float[] mel = Tensors.toFloats(MelSpectrogram.log(new MelSpectrogram(MelSpectrogramConfig.of(24_000, 2048,
                    320, 128)).forward(x), SpectrogramInputFront.MEL_EPSILON)); // [1, 128, F]
            float[] cqt = Tensors.toFloats(new Cqt(CqtConfig.mert(24_000, 320, 84)).forward(x)); // [1, 84, F]
            int frames = 24_000 / 320 + 1;
            int dim = 3 * 212;
            assertEquals(25 * dim, got.length);
            for (int t : new int[] {0, 7, 24}) {
                for (int s = 0; s < 3; s++) {
                    int f = 3 * t + s; // spectrogram frame
                    for (int m : new int[] {0, 50, 127}) {
                        assertEquals(mel[m * frames + f], got[t * dim + s * 212 + m], 1e-5, "mel " + m + " of frame " + f);
                    }
                    for (int k : new int[] {0, 40, 83}) {
                        double want = Math.log(cqt[k * frames + f] + SpectrogramInputFront.CQT_EPSILON);
                        assertEquals(want, got[t * dim + s * 212 + 128 + k], 1e-4, "cqt " + k + " of frame " + f);
                    }
                }
            }
        }
    }

    @Test
    void hiddenStatesHaveTheEncoderFramesAndTheFolderRoundTrips(@TempDir Path dir) {
        MertConfig c = MertConfig.preset("cpu");
        float[] wave = noise(48_000, 5);
        FloatArray before;
        try (MertModel model = MertModel.random(c, 3, "cpu")) {
            assertNull(model.encoder().featureExtractor(), "no conv front");
            before = model.hiddenStates(wave, 24_000);
            assertArrayEquals(new long[] {7, 50, 256}, before.shape());
            model.save(dir);
        }
        try (MertModel loaded = MertModel.load(dir)) {
            assertTrue(loaded.config().hasSpectrogramFront());
            FloatArray after = loaded.hiddenStates(wave, 24_000);
            assertEquals(0.0, Fixtures.maxAbsDiff(before.data(), after.data()), 1e-6);
        }
    }

    @Test
    void configRoundTripsAndNamesNoPythonClass() {
        MertConfig c = MertConfig.preset("cpu");
        ObjectNode json = c.toJson();
        assertEquals("spectrogram", json.get("feature_extractor_type").asText());
        assertEquals("mert4j_spectrogram", json.get("model_type").asText(),
                "a model_type transformers does not know, so Python refuses the folder instead of loading it wrong");
        assertEquals("Mert4jSpectrogramModel", json.get("architectures").get(0).asText());
        MertConfig back = MertConfig.fromJson(json);
        assertEquals(c.spectrogramFront(), back.spectrogramFront());
        assertEquals(c.transformer(), back.transformer());
    }

    @Test
    void refusesWhatItCannotBuild() {
        ObjectNode json = MertConfig.preset("cpu").toJson();
        ObjectNode withCqt = json.deepCopy().put("feature_extractor_cqt", true);
        assertTrue(assertThrows(ConfigException.class, () -> MertConfig.fromJson(withCqt)).getMessage()
                .contains("spectrogram_cqt_bins"));
        ObjectNode badType = json.deepCopy().put("feature_extractor_type", "mel");
        assertTrue(assertThrows(ConfigException.class, () -> MertConfig.fromJson(badType)).getMessage()
                .contains("conv or spectrogram"));
        ObjectNode badBins = json.deepCopy().put("spectrogram_cqt_bins", 80);
        assertTrue(assertThrows(ConfigException.class, () -> MertConfig.fromJson(badBins)).getMessage()
                .contains("multiple of 7"));
        ObjectNode noStack = json.deepCopy().put("spectrogram_stack", 0);
        assertThrows(ConfigException.class, () -> MertConfig.fromJson(noStack));
        assertFalse(MertConfig.preset("small").hasSpectrogramFront());
    }

    private static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 24_000.0) + 0.05 * (r.nextDouble() - 0.5));
        }
        return x;
    }
}
