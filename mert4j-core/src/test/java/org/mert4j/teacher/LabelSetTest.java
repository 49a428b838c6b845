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
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {
    @TempDir
    Path tmp;

    // lengths at 24 kHz: 1 s -> 74 frames, 0.5 s -> 37, 2 s -> 149
    static final Manifest MANIFEST = new Manifest(Path.of("/m"), 24000, List.of(
            new Manifest.Entry("a.wav", 24000), new Manifest.Entry("b.wav", 12000),
            new Manifest.Entry("c.wav", 48000)));
    static final List<LabelStream> STREAMS = List.of(new LabelStream("enc_0", 10), new LabelStream("enc_1", 10));

    private static LabelSetInfo info(int rows) {
        return new LabelSetInfo("test", 75, 24000, "train.tsv", rows, STREAMS, Map.of("k", "10"));
    }

    private static int[] ramp(int n, int offset) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i + offset) % 10;
        }
        return a;
    }

    private Path writeGood() throws IOException {
        Path dir = tmp.resolve("labels");
        try (LabelSetWriter w = LabelSetWriter.open(dir, info(3), false)) {
            w.write(new int[][] {ramp(74, 0), ramp(74, 1)});
            w.writeFailed("decode error:\nbroken header");
            w.write(new int[][] {ramp(149, 2), ramp(149, 3)});
            assertTrue(w.isComplete());
        }
        return dir;
    }

    @Test
    void encoderFramesAreTheConvArithmetic() {
        assertEquals(74, LabelSetInfo.encoderFrames(24000));
        assertEquals(49, LabelSetInfo.encoderFrames(16000));
        assertEquals(0, LabelSetInfo.encoderFrames(399));
        assertEquals(1, LabelSetInfo.encoderFrames(400));
        for (long n = 400; n < 5000; n += 37) {
            assertEquals((n - 400) / 320 + 1, LabelSetInfo.encoderFrames(n), "n=" + n);
        }
    }

    @Test
    void writtenRowsReadBackAndFailedRowsAreMissingNotShifted() throws IOException {
        Path dir = writeGood();
        assertEquals("#FAILED decode error: broken header", Files.readAllLines(dir.resolve("enc_0.km")).get(1));
        try (LabelSet set = LabelSet.open(dir, MANIFEST)) {
            assertEquals(Map.of(1, "decode error: broken header"), set.missing());
            assertArrayEquals(new int[][] {ramp(74, 0), ramp(74, 1)}, set.labels(0));
            assertArrayEquals(new int[][] {ramp(149, 2), ramp(149, 3)}, set.labels(2));
            LabelFormatException e = assertThrows(LabelFormatException.class, () -> set.labels(1));
            assertTrue(e.getMessage().contains("b.wav") && e.getMessage().contains("broken header"), e.getMessage());
            assertEquals(List.of(0, 2), set.labelledRows());
            assertEquals("test", set.info().teacher());
        }
    }

    @Test
    void rowCountMismatchIsAClearError() throws IOException {
        Path dir = writeGood();
        Manifest two = new Manifest(Path.of("/m"), 24000, MANIFEST.entries().subList(0, 2));
        LabelFormatException e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, two));
        assertTrue(e.getMessage().contains("3 rows") && e.getMessage().contains("has 2"), e.getMessage());
        // labels.json right but a stream file short by one line
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("enc_1.km")));
        Files.write(dir.resolve("enc_1.km"), lines.subList(0, 2));
        e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, MANIFEST));
        assertTrue(e.getMessage().contains("enc_1.km") && e.getMessage().contains("2 lines")
                && e.getMessage().contains("c.wav"), e.getMessage());
    }

    @Test
    void wrongLengthNamesLineAndFile() throws IOException {
        Path dir = writeGood();
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("enc_0.km")));
        lines.set(0, lines.get(0) + " 1 2 3"); // 77 labels for 74 frames: beyond the tolerance of 2
        Files.write(dir.resolve("enc_0.km"), lines);
        LabelFormatException e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, MANIFEST));
        assertTrue(e.getMessage().contains("enc_0.km: line 1 (a.wav) has 77 labels")
                && e.getMessage().contains("74 encoder frames"), e.getMessage());
    }

    @Test
    void withinToleranceIsAcceptedButStreamsMustAgree() throws IOException {
        Path dir = writeGood();
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("enc_0.km")));
        lines.set(0, lines.get(0) + " 1 2"); // 76: within 2 of 74, but enc_1 has 74
        Files.write(dir.resolve("enc_0.km"), lines);
        LabelFormatException e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, MANIFEST));
        assertTrue(e.getMessage().contains("76 frames in enc_0.km but 74 in enc_1.km"), e.getMessage());
    }

    @Test
    void labelOutOfRangeOrNotANumberIsRefused() throws IOException {
        Path dir = writeGood();
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("enc_1.km")));
        String good = lines.get(2);
        lines.set(2, "10" + good.substring(1));
        Files.write(dir.resolve("enc_1.km"), lines);
        LabelFormatException e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, MANIFEST));
        assertTrue(e.getMessage().contains("line 3 (c.wav): label 10 at frame 0 is outside [0, 10)"), e.getMessage());
        lines.set(2, "-1" + good.substring(1));
        Files.write(dir.resolve("enc_1.km"), lines);
        e = assertThrows(LabelFormatException.class, () -> LabelSet.open(dir, MANIFEST));
        assertTrue(e.getMessage().contains("'-1'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> {
            try (LabelSetWriter w = LabelSetWriter.open(tmp.resolve("other"), info(3), false)) {
                w.write(new int[][] {ramp(74, 0), {11}});
            }
        });
    }

    @Test
    void resumeDropsAPartialLineAndRowsOnlySomeStreamsHave() throws IOException {
        Path dir = tmp.resolve("labels");
        try (LabelSetWriter w = LabelSetWriter.open(dir, info(3), false)) {
            w.write(new int[][] {ramp(74, 0), ramp(74, 1)});
            w.write(new int[][] {ramp(37, 0), ramp(37, 1)});
        }
        // interrupted: enc_0 got half of row 1's line, enc_1 all of row 1
        Path f0 = dir.resolve("enc_0.km");
        byte[] b = Files.readAllBytes(f0);
        Files.write(f0, java.util.Arrays.copyOf(b, b.length - 10));
        try (LabelSetWriter w = LabelSetWriter.open(dir, info(3), false)) {
            assertEquals(1, w.nextRow());
            w.write(new int[][] {ramp(37, 0), ramp(37, 1)});
            w.write(new int[][] {ramp(149, 2), ramp(149, 3)});
        }
        Path fresh = writeFresh();
        for (String s : List.of("enc_0.km", "enc_1.km")) {
            assertEquals(Files.readString(fresh.resolve(s)), Files.readString(dir.resolve(s)), s);
        }
        // another run's description is refused rather than mixed in
        LabelSetInfo other = new LabelSetInfo("test", 75, 24000, "train.tsv", 3, STREAMS, Map.of("k", "11"));
        LabelFormatException e = assertThrows(LabelFormatException.class, () -> LabelSetWriter.open(dir, other, false));
        assertTrue(e.getMessage().contains("another run"), e.getMessage());
    }

    private Path writeFresh() throws IOException {
        Path dir = tmp.resolve("fresh");
        try (LabelSetWriter w = LabelSetWriter.open(dir, info(3), false)) {
            w.write(new int[][] {ramp(74, 0), ramp(74, 1)});
            w.write(new int[][] {ramp(37, 0), ramp(37, 1)});
            w.write(new int[][] {ramp(149, 2), ramp(149, 3)});
        }
        return dir;
    }
}
