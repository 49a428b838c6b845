package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/** hubert-kmeans on the tiny committed model (2 layers, H 32, 24 kHz, standard conv front end). */
class HubertKMeansTeacherTest {
    static final Path MODEL = Path.of("src/test/resources/model/postln-group");

    @TempDir
    Path tmp;

    private Manifest manifest(int... lengths) throws IOException {
        List<Manifest.Entry> e = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            TeacherTestAudio.writeWav(tmp.resolve("audio/clip" + i + ".wav"), lengths[i], 24000, i);
            e.add(new Manifest.Entry("clip" + i + ".wav", lengths[i]));
        }
        return new Manifest(tmp.resolve("audio"), 24000, e);
    }

    private TeacherSettings settings(boolean fit, Path kmeans) {
        return new TeacherSettings(tmp.resolve("out"), MODEL, kmeans, 1, 8, fit, 300, 0, "cpu", m -> { });
    }

    @Test
    void fittedLabelsHaveTheModelsFrameCountAndAreTheNearestCentres() throws IOException {
        Manifest m = manifest(24000, 36000, 17000);
        try (LabelTeacher t = new HubertKMeansTeacher().create(settings(true, null), m);
             MertModel model = MertModel.load(MODEL)) {
            Path kmFile = tmp.resolve("out/kmeans-hubert_l1.safetensors");
            assertTrue(Files.isRegularFile(kmFile), "fitted k-means saved in the label folder");
            assertEquals(List.of(new LabelStream("hubert_l1_km8", 8)), t.streams());
            assertEquals(75.0, t.frameRate());
            try (KMeans km = KMeans.load(kmFile, "cpu")) {
                for (int row = 0; row < m.size(); row++) {
                    float[] mono = TeacherAudio.load(m.file(row), 24000);
                    int[][] labels = t.labels(mono);
                    FloatArray h = model.embed(mono, 24000, new EmbedOptions(0, EmbedOptions.Pool.NONE,
                            new int[] {1}, 1));
                    long frames = model.config().framesFor(mono.length);
                    assertEquals(frames, h.shape()[1]);
                    assertEquals(frames, labels[0].length, "one label per encoder frame");
                    assertEquals(frames, LabelSetInfo.encoderFrames(m.get(row).numSamples()));
                    Tensor x = Tensors.fromFloats(h.data(), h.shape()[1], h.shape()[2]);
                    assertArrayEquals(km.predict(x), labels[0], "labels are the nearest centres of layer 1");
                }
            }
        }
    }

    @Test
    void savedKMeansIsReusedAndMissingSettingsAreNamed() throws IOException {
        Manifest m = manifest(24000, 30000);
        int[][] first;
        float[] mono = TeacherAudio.load(m.file(1), 24000);
        try (LabelTeacher t = new HubertKMeansTeacher().create(settings(true, null), m)) {
            first = t.labels(mono);
        }
        // without --fit the k-means fitted before in the label folder is used
        try (LabelTeacher t = new HubertKMeansTeacher().create(settings(false, null), m)) {
            assertArrayEquals(first, t.labels(mono));
        }
        Path saved = tmp.resolve("out/kmeans-hubert_l1.safetensors");
        TeacherSettings elsewhere = new TeacherSettings(tmp.resolve("other"), MODEL, saved, 1, 0, false, 0, 0, "cpu",
                x -> { });
        try (LabelTeacher t = new HubertKMeansTeacher().create(elsewhere, m)) {
            assertArrayEquals(first, t.labels(mono));
            assertEquals("kmeans-hubert_l1.safetensors", t.params().get("kmeans"));
        }
        TeacherSettings none = new TeacherSettings(tmp.resolve("empty"), MODEL, null, 1, 0, false, 0, 0, "cpu", x -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HubertKMeansTeacher().create(none, m));
        assertTrue(e.getMessage().contains("--fit"), e.getMessage());
        TeacherSettings badLayer = new TeacherSettings(tmp.resolve("x"), MODEL, saved, 5, 0, false, 0, 0, "cpu", x -> { });
        e = assertThrows(IllegalArgumentException.class, () -> new HubertKMeansTeacher().create(badLayer, m));
        assertTrue(e.getMessage().contains("0..2"), e.getMessage());
        Manifest at16k = new Manifest(m.root(), 16000, m.entries());
        e = assertThrows(IllegalArgumentException.class, () -> new HubertKMeansTeacher().create(settings(false, saved),
                at16k));
        assertTrue(e.getMessage().contains("--sample-rate 24000"), e.getMessage());
    }
}
