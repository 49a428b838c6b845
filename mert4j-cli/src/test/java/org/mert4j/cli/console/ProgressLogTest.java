package org.mert4j.cli.console;

import org.mert4j.cli.commands.Cli;
import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long commands print progress lines now and then when stderr is not a terminal (a log file, a batch job). */
class ProgressLogTest {

    @Test
    void withoutATerminalProgressIsLoggedAtTheInterval() {
        StringWriter text = new StringWriter();
        ProgressBar every = new ProgressBar(new PrintWriter(text, true), 3, false, "mert embed", 0);
        every.update(0, 0, "a.wav", true);
        every.update(1, 5, "b.wav", false);
        every.update(3, 12, null, true); // the end: the summary line says it
        String[] lines = text.toString().split("\n");
        assertEquals(2, lines.length, text::toString);
        assertTrue(lines[0].startsWith("mert embed: 0/3 done") && lines[0].contains("a.wav"), lines[0]);
        assertTrue(lines[1].startsWith("mert embed: 1/3 done (33%)") && lines[1].contains("ETA"), lines[1]);

        StringWriter quiet = new StringWriter();
        ProgressBar rare = new ProgressBar(new PrintWriter(quiet, true), 3, false, "mert embed", 3600);
        rare.update(1, 5, "b.wav", false);
        assertEquals("", quiet.toString(), "nothing before the interval has passed");
    }

    @Test
    void embedAndLabelsLogProgress(@TempDir Path tmp) throws Exception {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.2, 24000, 1);
        Wav.write(music.resolve("b.wav"), 1.2, 24000, 2);
        System.setProperty("mert.progress.seconds", "0");
        try {
            Cli.Result e = Cli.run("embed", "--model", "preset:tiny", "--out", tmp.resolve("feats").toString(),
                    music.toString());
            assertEquals(0, e.exitCode(), e::toString);
            assertTrue(e.err().contains("mert embed: 1/2 done"), e::toString);
            Cli.Result m = Cli.run("manifest", music.toString(), "--out", tmp.resolve("train.tsv").toString());
            assertEquals(0, m.exitCode(), m::toString);
            Cli.Result l = Cli.run("labels", "--teacher", "mfcc-kmeans", "--fit", "--k", "4", "--sample-frames", "200",
                    "--manifest", tmp.resolve("train.tsv").toString(), "--out", tmp.resolve("labels").toString());
            assertEquals(0, l.exitCode(), l::toString);
            assertTrue(l.err().contains("mert labels: 1/2 done"), l::toString);
            assertTrue(Files.exists(tmp.resolve("labels/mfcc_km4.km")));
        } finally {
            System.clearProperty("mert.progress.seconds");
        }
    }
}
