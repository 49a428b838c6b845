package org.mert4j.cli.commands;

import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label folder records what it was computed from: labels are never continued, nor trained on, against a
 * manifest regenerated over other files, even one with as many rows.
 */
class LabelsProvenanceTest {
    @TempDir
    Path tmp;

    private Path manifest(String folder, double seconds) throws IOException {
        Path music = tmp.resolve(folder);
        for (int i = 0; i < 3; i++) {
            Wav.write(music.resolve("clip" + i + ".wav"), seconds + 0.25 * i, 24000, i);
        }
        Path m = tmp.resolve(folder + "-data/train.tsv");
        Cli.Result r = Cli.run("manifest", music.toString(), "--out", m.toString());
        assertEquals(0, r.exitCode(), r::toString);
        return m;
    }

    private Cli.Result label(Path manifest, Path out, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("labels", "--teacher", "mfcc-kmeans",
                "--fit", "--k", "4", "--sample-frames", "200", "--manifest", manifest.toString(), "--out",
                out.toString(), "--threads", "1"));
        args.addAll(java.util.List.of(extra));
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void labelsOfOtherManifestRowsAreRefusedNamingTheDifference() throws IOException {
        Path a = manifest("music-a", 1.5);
        Path out = tmp.resolve("labels");
        assertEquals(0, label(a, out).exitCode());
        String before = Files.readString(out.resolve("mfcc_km4.km"));

        // the same relative paths and lengths under another root: other audio, so not continued
        Path moved = manifest("music-moved", 1.5);
        Cli.Result elsewhere = label(moved, out);
        assertEquals(2, elsewhere.exitCode(), elsewhere::toString);
        assertTrue(elsewhere.err().contains("manifest root"), elsewhere::toString);

        // the manifest regenerated over other files: the same file name and number of rows
        Path b = manifest("music-b", 1.6);
        Files.copy(b, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(b.resolveSibling("train.tsv.json"), a.resolveSibling("train.tsv.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Cli.Result resume = label(a, out);
        assertEquals(2, resume.exitCode(), resume::toString);
        assertTrue(resume.err().contains("other manifest rows"), resume::toString);
        assertEquals(before, Files.readString(out.resolve("mfcc_km4.km")), "labels untouched");

        Cli.Result pretrain = Cli.run("pretrain", "--preset", "tiny", "--manifest", a.toString(), "--labels",
                out.toString(), "--out", tmp.resolve("run").toString(), "--max-steps", "1");
        assertEquals(2, pretrain.exitCode(), pretrain::toString);
        assertTrue(pretrain.err().contains("other manifest rows"), pretrain::toString);

        // --overwrite starts again on the new rows
        assertEquals(0, label(a, out, "--overwrite").exitCode());
    }

    /** -1 is the last hidden state, as in Python; labels.json records its index. */
    @Test
    void hubertKmeansTakesLayerMinusOne() throws IOException {
        Path m = manifest("music", 1.5);
        Path out = tmp.resolve("hubert");
        Cli.Result r = Cli.run("labels", "--teacher", "hubert-kmeans", "--teacher-model",
                EmbedCommandTest.FIXTURE.toString(), "--layer", "-1", "--fit", "--k", "4", "--sample-frames", "200",
                "--manifest", m.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.readString(out.resolve("labels.json")).contains("\"layer\" : \"2\""), r::toString);
        assertTrue(Files.exists(out.resolve("hubert_l2_km4.km")), r::toString);
    }
}
