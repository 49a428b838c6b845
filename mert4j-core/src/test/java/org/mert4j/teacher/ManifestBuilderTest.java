package org.mert4j.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.audio.AudioFiles;
import org.mert4j.testing.Wav;

class ManifestBuilderTest {
    @TempDir
    Path tmp;

    @Test
    void rowsArePathsBelowTheFolderWithLengthsAtTheManifestRate() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.0, 24000, 1);
        Wav.write(music.resolve("sub/b.wav"), 0.5, 44100, 2);
        Files.writeString(music.resolve("notes.txt"), "not audio");
        ManifestBuilder b = new ManifestBuilder(music, 24000, 0);
        List<AudioFiles.Problem> problems = new ArrayList<>();
        List<Path> files = b.audioFiles(problems::add);
        assertEquals(2, files.size(), files::toString);
        assertTrue(problems.isEmpty(), problems::toString);
        for (Path f : files) {
            assertTrue(b.add(b.measure(f, w -> { })));
        }
        Manifest m = b.build();
        assertEquals(music.toAbsolutePath().normalize(), m.root());
        assertEquals(24000, m.sampleRate());
        assertEquals(new Manifest.Entry("a.wav", 24000), m.get(0));
        assertEquals(new Manifest.Entry("sub/b.wav", Manifest.samplesAt(22050, 44100, 24000)), m.get(1),
                "0.5 s at 44.1 kHz counted as the resampler makes it at 24 kHz");
        assertEquals(0, b.tooShort());
    }

    @Test
    void rowsShorterThanTheMinimumOrEmptyAreLeftOutAndCounted() {
        ManifestBuilder b = new ManifestBuilder(tmp, 16000, 2.0);
        assertFalse(b.add(new Manifest.Entry("short.wav", 31999)));
        assertFalse(b.add(new Manifest.Entry("empty.wav", 0)));
        assertTrue(b.add(new Manifest.Entry("long.wav", 32000)));
        assertEquals(2, b.tooShort());
        assertEquals(List.of(new Manifest.Entry("long.wav", 32000)), b.build().entries());
        ManifestBuilder noMinimum = new ManifestBuilder(tmp, 16000, 0);
        assertFalse(noMinimum.add(new Manifest.Entry("empty.wav", 0)), "an empty file is never a row");
    }

    @Test
    void aFileNameARowCannotHoldIsRefusedBeforeDecoding() throws IOException {
        Path odd = tmp.resolve("two\tcolumns.wav");
        Files.writeString(odd, "not even audio");
        ManifestBuilder b = new ManifestBuilder(tmp, 24000, 0);
        ManifestException e = assertThrows(ManifestException.class, () -> b.measure(odd, w -> { }));
        assertTrue(e.getMessage().contains("tab or line break"), e.getMessage());
    }

    @Test
    void aFileThatCannotBeDecodedFailsAlone() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.wav"), "not audio");
        ManifestBuilder b = new ManifestBuilder(tmp, 24000, 0);
        assertThrows(RuntimeException.class, () -> b.measure(bad, w -> { }));
        assertEquals(0, b.build().size());
    }
}
