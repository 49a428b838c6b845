package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.tensor.FloatArray;

/**
 * The whole input chain against the Python one: a 44.1 kHz stereo WAV, channel mean, torchaudio
 * resampling to 24 kHz, Wav2Vec2FeatureExtractor normalisation, then the post-LN model.
 */
class PipelineFixtureTest {
    @Test
    void stereo44kFileGivesTheReferenceHiddenStates(@TempDir Path tmp) throws IOException {
        Path src = Fixtures.ROOT.resolve("postln-group");
        Files.copy(src.resolve("config.json"), tmp.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Files.writeString(tmp.resolve("preprocessor_config.json"),
                "{\"feature_extractor_type\": \"Wav2Vec2FeatureExtractor\", \"do_normalize\": true,"
                        + " \"sampling_rate\": 24000, \"feature_size\": 1, \"padding_value\": 0.0}");
        Path wav = Fixtures.ROOT.resolve("pipeline").resolve("stereo-44100.wav");
        FloatArray expectedInput = Fixtures.npy(Fixtures.ROOT.resolve("pipeline").resolve("model_input.npy"));
        FloatArray expected = Fixtures.npy(Fixtures.ROOT.resolve("pipeline").resolve("hidden_states.npy"));
        try (MertModel model = MertModel.load(tmp)) {
            float[] mono24k = model.loadAudio(wav);
            float[] normalised = org.mert4j.audio.Preprocess.normalize(mono24k);
            double inErr = Fixtures.maxAbsDiff(expectedInput.data(), normalised);
            FloatArray got = model.embed(wav, new EmbedOptions(0, EmbedOptions.Pool.NONE, null, 1));
            double err = Fixtures.maxAbsDiff(expected.data(), got.data());
            System.out.printf("pipeline: model input max abs error %.3g, hidden states max abs error %.3g%n", inErr, err);
            assertTrue(inErr < 1e-5, "model input differs from the Python chain by " + inErr);
            assertArrayEquals(expected.shape(), got.shape());
            assertTrue(err < 1e-4, "hidden states differ by " + err);
        }
    }
}
