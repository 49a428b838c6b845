package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mert4j.dsp.KaldiMfcc;
import org.mert4j.dsp.KaldiMfccConfig;
import org.mert4j.tensor.Tensors;

/** The k-means teachers' features are the dsp package's, in [frames, dims] at the stated rates. */
class SpectralFeaturesTest {
    static float[] noise(int n) {
        Random r = new Random(1);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.1 * r.nextGaussian() + 0.3 * Math.sin(i * 0.07));
        }
        return x;
    }

    @Test
    void mfccIsHubertsKaldiRecipeWithDeltas() {
        float[] x = noise(16000);
        try (TeacherFeatures f = SpectralFeatures.mfcc()) {
            assertEquals(16000, f.sampleRate());
            assertEquals(100.0, f.frameRate());
            float[] got = Tensors.toFloats(f.features(x));
            float[] want = Tensors.toFloats(new KaldiMfcc(KaldiMfccConfig.hubert())
                    .forwardWithDeltas(Tensors.fromFloats(x, 1, x.length)));
            assertArrayEquals(want, got, 0f);
            assertArrayEquals(new long[] {98, 39}, Tensors.shape(f.features(x)), "(16000 - 400) / 160 + 1 frames");
        }
    }

    @Test
    void logMelAndChromaFramesAtTheManifestRate() {
        float[] x = noise(24000);
        try (TeacherFeatures mel = SpectralFeatures.logMel(24000); TeacherFeatures chroma = SpectralFeatures.chroma(24000)) {
            assertEquals(75.0, mel.frameRate());
            assertArrayEquals(new long[] {76, 128}, Tensors.shape(mel.features(x)), "centred STFT: N / 320 + 1 frames");
            assertEquals(24000 / 512.0, chroma.frameRate());
            assertArrayEquals(new long[] {47, 12}, Tensors.shape(chroma.features(x)));
        }
    }
}
