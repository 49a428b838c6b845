package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.mert4j.tensor.Tensors;

/** Alignment and product labels of the k-means teacher, with features whose clusters are known. */
class KMeansTeacherTest {

    /** One 1-D feature per frame: the frame index itself, at {@code rate} frames per second. */
    private record IndexFeatures(String name, int sampleRate, double frameRate) implements TeacherFeatures {
        @Override
        public Tensor features(float[] mono) {
            int frames = (int) Math.floor(mono.length / (double) sampleRate * frameRate);
            float[] f = new float[frames];
            for (int i = 0; i < frames; i++) {
                f[i] = i;
            }
            return Tensors.fromFloats(f, frames, 1);
        }
    }

    /** k-means whose centre j is the value j: predict gives back the (rounded) feature. */
    private static KMeans identity(int k) {
        float[] c = new float[k];
        for (int j = 0; j < k; j++) {
            c[j] = j;
        }
        return KMeans.of(c, k, 1, "cpu");
    }

    @Test
    void hundredHertzFeaturesAlignToEncoderFramesByNearestFrame() {
        // 1 s at 24 kHz: 74 encoder frames; 100 feature frames at 16 kHz
        try (KMeansTeacher t = new KMeansTeacher("mfcc-kmeans", 24000, 75, List.of(new IndexFeatures("mfcc", 16000,
                100)), List.of(identity(100)), "mfcc_km100", Map.of(), null)) {
            int[] labels = t.labels(new float[24000])[0];
            assertEquals(74, labels.length);
            for (int f = 0; f < labels.length; f++) {
                assertEquals(Math.round(f * 100 / 75.0), labels[f], "encoder frame " + f);
            }
            assertEquals(4, labels[3], "t = 3 -> round(4.0)");
            assertEquals(new LabelStream("mfcc_km100", 100), t.streams().get(0));
        }
    }

    @Test
    void twoFeatureSpacesGiveTheMixedRadixProductLabel() {
        // mel frames 0..74 clustered into 300 (identity), chroma frames 0..74 into 200 (identity below 200)
        try (KMeansTeacher t = new KMeansTeacher("logmel-chroma-kmeans", 24000, 75,
                List.of(new IndexFeatures("logmel", 24000, 75), new IndexFeatures("chroma", 24000, 75)),
                List.of(identity(300), identity(200)), "logmel_km300_chroma_km200", Map.of(), null)) {
            assertEquals(60000, t.streams().get(0).classes());
            int[] labels = t.labels(new float[48000])[0];
            assertEquals(149, labels.length);
            for (int f = 0; f < labels.length; f++) {
                int want = Math.min(f, 149) * 200 + Math.min(f, 149);
                assertEquals(want, labels[f], "frame " + f);
            }
        }
    }

    @Test
    void alignClampsAtTheLastFeatureFrame() {
        assertArrayEquals(new int[] {0, 2, 3, 3}, KMeansTeacher.align(new int[] {0, 1, 2, 3}, 4, 100, 50));
    }
}
