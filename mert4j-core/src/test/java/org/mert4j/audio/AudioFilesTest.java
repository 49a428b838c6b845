package org.mert4j.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {

    @TempDir
    Path tmp;

    @Test
    void recognisesAudioExtensions() {
        for (String ext : List.of("wav", "FLAC", "mp3", "ogg", "oga", "opus", "m4a", "aac", "mp4", "aiff", "aif",
                "wma", "webm", "mka")) {
            assertTrue(AudioFiles.isAudioFile(Path.of("a/b/song." + ext)), ext);
        }
        assertFalse(AudioFiles.isAudioFile(Path.of("notes.txt")));
        assertFalse(AudioFiles.isAudioFile(Path.of("wav")));
        assertFalse(AudioFiles.isAudioFile(Path.of(".wav")));
    }

    @Test
    void walksDirectoriesSortedAndKeepsFilesAsGiven() throws IOException {
        Path b = touch("d/b.wav");
        Path a = touch("d/a.flac");
        Path nested = touch("d/sub/c.mp3");
        touch("d/readme.txt");
        Path single = touch("x/notes.dat");
        List<Path> got = AudioFiles.expand(List.of(single.toString(), tmp.resolve("d").toString()));
        assertEquals(List.of(single, a, b, nested), got);
    }

    @Test
    void expandsListFiles() throws IOException {
        Path a = touch("music/a.wav");
        Path b = touch("music/album/b.ogg");
        Path abs = touch("other/c.mp3");
        Path list = tmp.resolve("music/list.txt");
        Files.writeString(list, "# my files\n\na.wav\n  album  \n" + abs + "\n");
        List<Path> got = AudioFiles.expand(List.of("@" + list));
        assertEquals(List.of(a.toAbsolutePath(), b.toAbsolutePath(), abs), got);
    }

    @Test
    void missingInputsNameThemselves() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioFiles.expand(List.of(tmp.resolve("nope.wav").toString())));
        assertTrue(e.getMessage().contains("nope.wav"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> AudioFiles.expand(List.of("@" + tmp.resolve("missing-list.txt"))));
        assertTrue(e.getMessage().contains("missing-list.txt"), e.getMessage());

        Path list = tmp.resolve("list.txt");
        Files.writeString(list, "gone.flac\n");
        e = assertThrows(IllegalArgumentException.class, () -> AudioFiles.expand(List.of("@" + list)));
        assertTrue(e.getMessage().contains("gone.flac") && e.getMessage().contains("line 1"), e.getMessage());
    }

    private Path touch(String rel) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }
}
