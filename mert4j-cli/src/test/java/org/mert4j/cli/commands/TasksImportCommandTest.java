package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.testing.FakeDatasets;
import org.mert4j.testing.FakeDatasets.Note;

/**
 * {@code mert tasks import} for every dataset on small made-up copies, then {@code mert probe} over all the imported
 * tasks at once: each task loads and probes, and the results table has a row per model and a column per task.
 */
class TasksImportCommandTest {
    static final Path MP3 = Path.of("../examples/audio/arpeggio-44k-stereo.mp3");

    @TempDir
    Path tmp;

    @Test
    void everyDatasetImportsAndProbesIntoOneTable() throws Exception {
        Path data = tmp.resolve("data");
        List<String> gtzan = new ArrayList<>();
        for (String split : List.of("train", "valid", "test")) {
            gtzan.addAll(FakeDatasets.gtzanSplit(split, split.equals("train") ? 8 : 4));
        }
        FakeDatasets.gtzan(data.resolve("GTZAN"), true, gtzan, 6.0);
        FakeDatasets.gtzanBeats(data.resolve("GTZAN"), gtzan, 0.5, 6.0);
        List<Note> notes = new ArrayList<>();
        String[] families = {"bass", "guitar", "organ", "vocal"};
        for (String split : List.of("train", "valid", "test")) {
            for (int i = 0; i < 4; i++) {
                notes.add(new Note(split, families[i], 48 + 5 * i));
            }
        }
        FakeDatasets.nsynth(data.resolve("NSynth"), notes, 0.5);
        FakeDatasets.giantSteps(data.resolve("GS"), MP3);
        FakeDatasets.magnaTagATune(data.resolve("MTT"), MP3);
        FakeDatasets.emoMusic(data.resolve("EMO"), MP3);

        String[][] imports = {{"gtzan", "GTZAN"}, {"gtzan-beat", "GTZAN"}, {"nsynth-instrument", "NSynth"},
            {"nsynth-pitch", "NSynth"}, {"giantsteps-key", "GS"}, {"mtat", "MTT"}, {"emomusic", "EMO"}};
        List<String> taskFiles = new ArrayList<>();
        for (String[] i : imports) {
            Path out = tmp.resolve("tasks").resolve(i[0]);
            Cli.Result r = Cli.run("tasks", "import", i[0], data.resolve(i[1]).toString(), "--out", out.toString());
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(Files.isRegularFile(out.resolve("task.yaml")), r.toString());
            taskFiles.add(out.resolve("task.yaml").toString());
            if (i[0].equals("gtzan")) {
                assertTrue(r.out().startsWith("gtzan: 16 clips (train 8, valid 4, test 4), 10 classes"), r.out());
                // the rest of the 930 clips of the split are reported missing, not fatal
                assertTrue(r.err().contains("914 missing"), r.err());
            }
            if (i[0].equals("mtat")) {
                assertTrue(r.err().contains("1 left out: empty mp3 file"), r.err());
            }
        }
        Path table = tmp.resolve("marble");
        Cli.Result probe = Cli.run("probe", "--tasks", String.join(",", taskFiles), "--model", "preset:tiny",
                "--no-baselines", "--epochs", "2", "--lr", "1e-3", "--out", table.toString());
        assertEquals(0, probe.exitCode(), probe.toString());
        List<String> csv = Files.readAllLines(table.resolve("marble.csv"));
        assertEquals(List.of("model", "gtzan accuracy", "gtzan-beat beat_f", "nsynth-instrument accuracy",
                "nsynth-pitch accuracy", "giantsteps-key key_weighted", "mtat roc_auc", "mtat average_precision",
                "emomusic r2_0", "emomusic r2_1"), List.of(csv.get(0).split(",")));
        assertEquals(2, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("preset:tiny,"), csv.get(1));
        for (String task : List.of("gtzan", "mtat", "emomusic")) {
            assertTrue(Files.isRegularFile(table.resolve(task).resolve("preset-tiny/results.json")), task);
        }
        // another model adds its row to the same table
        Cli.Result mfcc = Cli.run("probe", "--task", taskFiles.get(0), "--task", taskFiles.get(5), "--model", "mfcc",
                "--epochs", "2", "--lr", "1e-3", "--out", table.toString());
        assertEquals(0, mfcc.exitCode(), mfcc.toString());
        String md = Files.readString(table.resolve("marble.md"));
        assertTrue(md.contains("| preset:tiny |") && md.contains("| mfcc |"), md);
        assertEquals(3, Files.readAllLines(table.resolve("marble.csv")).size());
    }
}
