package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mert4j.teacher.rvq.CodeTeacher;

/** EnCodec codes as label streams: one stream per codebook, cut to the encoder's frames. */
class CodecTeachersTest {
    static final Path ENCODEC = Path.of("src", "test", "resources", "teacher", "encodec", "causal");

    @Test
    void encodecStreamsAreTheCodebooks() {
        float[] x = SpectralFeaturesTest.noise(24000);
        Manifest m = new Manifest(Path.of("."), 24000, List.of(new Manifest.Entry("x.wav", x.length)));
        TeacherSettings s = new TeacherSettings(Path.of("."), ENCODEC, null, 0, 0, false, 0, 0, "cpu", line -> { });
        try (LabelTeacher t = Teachers.get("encodec").create(s, m);
             CodeTeacher codec = CodeTeacherFolders.load(ENCODEC, "cpu")) {
            assertEquals(8, t.streams().size());
            assertEquals("encodec_0", t.streams().get(0).name());
            assertEquals(1024, t.streams().get(0).classes());
            int[][] labels = t.labels(x);
            int[][] codes = codec.codes(x);
            assertEquals(74, labels[0].length, "encoder frames of 1 s at 24 kHz");
            assertEquals(75, codes[0].length, "codec frames: ceil(24000 / 320)");
            for (int k = 0; k < 8; k++) {
                assertArrayEquals(java.util.Arrays.copyOf(codes[k], 74), labels[k]);
            }
        }
        TeacherSettings none = new TeacherSettings(Path.of("."), null, null, 0, 0, false, 0, 0, "cpu", line -> { });
        assertThrows(IllegalArgumentException.class, () -> Teachers.get("encodec").create(none, m));
    }
}
