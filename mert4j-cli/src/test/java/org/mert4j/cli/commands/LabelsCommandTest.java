package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.teacher.LabelSet;
import org.mert4j.teacher.LabelSetInfo;
import org.mert4j.teacher.LabelStream;
import org.mert4j.teacher.Manifest;
import org.mert4j.testing.Wav;

class LabelsCommandTest {
    static final Path MODEL = EmbedCommandTest.FIXTURE;

    @TempDir
    Path tmp;

    /** A 24 kHz manifest of four clips, the third of which is damaged after the manifest was made. */
    private Path manifest() throws IOException {
        Path music = tmp.resolve("music");
        Wav.write(music.resolve("a.wav"), 1.0, 24000, 1);
        Wav.write(music.resolve("b.wav"), 1.5, 44100, 2);
        Wav.write(music.resolve("c.wav"), 0.7, 24000, 3);
        Wav.write(music.resolve("d.wav"), 2.0, 24000, 4);
        Path m = tmp.resolve("data/train.tsv");
        assertEquals(0, Cli.run("manifest", music.toString(), "--out", m.toString()).exitCode());
        Files.writeString(music.resolve("c.wav"), "damaged");
        return m;
    }

    private Cli.Result label(Path manifest, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("labels", "--teacher", "hubert-kmeans",
                "--teacher-model", MODEL.toString(), "--layer", "2", "--manifest", manifest.toString(),
                "--out", out.toString(), "--threads", "1"));
        args.addAll(Arrays.asList(extra));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void fitThenLabelWritesAValidLabelFolderWithTheBadRowMarked() throws IOException {
        Path m = manifest();
        Path out = tmp.resolve("labels");
        Cli.Result r = label(m, out, "--fit", "--k", "6", "--sample-frames", "200");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("FAILED row 3") && r.err().contains("c.wav"), r::toString);
        assertTrue(r.err().contains("h of audio per hour"), r::toString);
        assertTrue(Files.isRegularFile(out.resolve("kmeans-hubert_l2.safetensors")));
        Manifest manifest = Manifest.read(m);
        try (LabelSet set = LabelSet.open(out, manifest)) {
            LabelSetInfo info = set.info();
            assertEquals("hubert-kmeans", info.teacher());
            assertEquals(75.0, info.frameRate());
            assertEquals("train.tsv", info.manifest());
            assertEquals(List.of(new LabelStream("hubert_l2_km6", 6)), info.streams());
            assertEquals(List.of(2), List.copyOf(set.missing().keySet()));
            for (int row : set.labelledRows()) {
                assertEquals(LabelSetInfo.encoderFrames(manifest.get(row).numSamples()), set.labels(row)[0].length);
            }
        }
    }

    @Test
    void aResumedRunAfterAnInterruptionEndsLikeAnUninterruptedOne() throws IOException {
        Path m = manifest();
        Path whole = tmp.resolve("whole");
        assertEquals(1, label(m, whole, "--fit", "--k", "6", "--sample-frames", "200").exitCode());
        Path kmeans = whole.resolve("kmeans-hubert_l2.safetensors");

        Path cut = tmp.resolve("cut");
        Files.createDirectories(cut);
        Files.copy(kmeans, cut.resolve(kmeans.getFileName()));
        assertEquals(1, label(m, cut).exitCode());
        // simulate a kill: keep row 1 and half of row 2
        Path km = cut.resolve("hubert_l2_km6.km");
        String text = Files.readString(km);
        int endOfRow1 = text.indexOf('\n') + 1;
        int endOfRow2 = text.indexOf('\n', endOfRow1) + 1;
        Files.writeString(km, text.substring(0, endOfRow1 + (endOfRow2 - endOfRow1) / 2));

        Cli.Result r = label(m, cut);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("continuing after row 1 of 4"), r::toString);
        assertEquals(Files.readString(whole.resolve("hubert_l2_km6.km")), Files.readString(km));
        assertEquals(Files.readString(whole.resolve("labels.json")), Files.readString(cut.resolve("labels.json")));

        // complete: a rerun does nothing and still reports the failed row
        r = label(m, cut);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("0 rows labelled") && r.err().contains("1 rows have no labels"), r::toString);
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() throws IOException {
        Path m = manifest();
        Cli.Result r = Cli.run("labels", "--teacher", "nope", "--manifest", m.toString(), "--out", "x");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("unknown teacher 'nope'") && r.err().contains("hubert-kmeans"), r::toString);
        r = Cli.run("labels", "--teacher", "hubert-kmeans", "--manifest", m.toString(), "--out", "x");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--teacher-model"), r::toString);
        Files.delete(Manifest.sidecar(m));
        r = label(m, tmp.resolve("y"), "--fit");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("sample_rate"), r::toString);
    }

    @Test
    void helpListsTeachersAndAnExample() {
        Cli.Result r = Cli.run("labels", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("hubert-kmeans") && r.out().contains("Examples:"), r::toString);
    }
}
