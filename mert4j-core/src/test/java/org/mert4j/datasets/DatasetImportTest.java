package org.mert4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.probe.Split;
import org.mert4j.probe.Task;
import org.mert4j.probe.TaskExample;
import org.mert4j.probe.TaskType;
import org.mert4j.testing.FakeDatasets;
import org.mert4j.testing.FakeDatasets.Note;
import org.mert4j.testing.Wav;

/** Each importer on a small made-up copy of its dataset with the real names, formats and columns. */
class DatasetImportTest {
    static final Path MP3 = Path.of("../examples/audio/arpeggio-44k-stereo.mp3");

    @TempDir
    Path tmp;

    private Task imported(String name, Path dir) throws IOException {
        TaskDraft draft = Datasets.get(name).read(dir);
        return Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/" + name), false));
    }

    private static Map<Split, Long> counts(Task t) {
        return t.examples().stream().collect(Collectors.groupingBy(TaskExample::split, Collectors.counting()));
    }

    @Test
    void gtzanAsOriginallyShippedGivesTheFaultFilteredSplit() throws IOException {
        Path dir = FakeDatasets.gtzan(tmp.resolve("GTZAN"), true, FakeDatasets.allGtzanStems(), 0.02);
        TaskDraft draft = Datasets.get("gtzan").read(dir);
        assertEquals(70, draft.report().unused().size()); // the 70 clips the split leaves out
        assertEquals(List.of(), draft.report().missing());
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/gtzan"), false));
        assertEquals(Map.of(Split.TRAIN, 443L, Split.VALID, 197L, Split.TEST, 290L), counts(t));
        assertEquals(FakeDatasets.GENRES, t.classes());
        assertEquals(TaskType.MULTICLASS, t.type());
        for (TaskExample e : t.examples()) {
            assertTrue(Files.isRegularFile(e.audio()), e.audio().toString());
            assertTrue(e.id().startsWith("../../GTZAN/genres/" + e.label() + "/" + e.label() + "."), e.id());
            assertTrue(e.id().endsWith(".au"), e.id());
        }
        // nothing was copied: the task folder holds only its three files
        try (var files = Files.list(tmp.resolve("tasks/gtzan"))) {
            assertEquals(List.of("import.json", "manifest.jsonl", "task.yaml"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void gtzanRepackagedAsWavWithFilesMissingIsReportedNotFatal() throws IOException {
        List<String> stems = new ArrayList<>(FakeDatasets.allGtzanStems());
        stems.removeAll(List.of("blues.00029", "rock.00099"));
        Path dir = FakeDatasets.gtzan(tmp.resolve("kaggle"), false, stems, 0.02);
        TaskDraft draft = Datasets.get("gtzan").read(dir);
        assertEquals(List.of("blues/blues.00029", "rock/rock.00099"), draft.report().missing().stream().sorted().toList());
        // the re-packaging's damaged jazz.00054.wav is left out, as MARBLE does
        assertEquals(Map.of(Gtzan.CORRUPT_NOTE, 1), draft.report().skipped());
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/g"), false));
        assertEquals(927, t.examples().size());
        assertTrue(t.examples().get(0).id().contains("Data/genres_original/"), t.examples().get(0).id());
    }

    @Test
    void gtzanBeatsComeFromTheBeatAnnotationOfTheJamsFiles() throws IOException {
        List<String> stems = threePerSplit();
        Path dir = FakeDatasets.gtzan(tmp.resolve("GTZAN"), true, stems, 0.5);
        FakeDatasets.gtzanBeats(dir, stems.subList(1, stems.size()), 0.5, 30);
        TaskDraft draft = Datasets.get("gtzan-beat").read(dir);
        // the other 921 clips of the split are missing on disk; one present clip lacks its annotation
        assertEquals(922, draft.report().missing().size());
        assertTrue(draft.report().missing().contains(Gtzan.genre(stems.get(0)) + "/" + stems.get(0)
                + " (beat annotation)"));
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/beat"), false));
        assertEquals(TaskType.BEAT, t.type());
        assertEquals(8, t.examples().size());
        double[] beats = t.examples().get(0).beats();
        assertEquals(60, beats.length); // every beat from 0.25 s at 0.5 s spacing, not only the downbeats
        assertEquals(0.25, beats[0], 1e-9);
    }

    @Test
    void nsynthKeepsTheOfficialSplitsForBothTasks() throws IOException {
        List<Note> notes = List.of(new Note("train", "bass", 40), new Note("train", "guitar", 60),
                new Note("train", "vocal", 62), new Note("valid", "bass", 41), new Note("valid", "organ", 70),
                new Note("test", "guitar", 60), new Note("test", "reed", 72));
        Path dir = FakeDatasets.nsynth(tmp.resolve("nsynth"), notes, 0.1);
        // one note's audio lost, one stray file
        try (var s = Files.list(dir.resolve("nsynth-train/audio"))) {
            Files.delete(s.sorted().findFirst().orElseThrow());
        }
        Wav.write(dir.resolve("nsynth-test/audio/stray.wav"), 0.1, 16000, 1);
        Task instrument = imported("nsynth-instrument", dir);
        assertEquals(Map.of(Split.TRAIN, 2L, Split.VALID, 2L, Split.TEST, 2L), counts(instrument));
        assertEquals(11, instrument.classes().size());
        assertEquals("reed", instrument.split(Split.TEST).get(1).label());
        Task pitch = imported("nsynth-pitch", dir);
        assertEquals(128, pitch.classes().size());
        assertEquals(List.of("60", "72"), pitch.split(Split.TEST).stream().map(TaskExample::label).toList());
        TaskDraft draft = Datasets.get("nsynth-pitch").read(dir);
        assertEquals(1, draft.report().missing().size());
        assertEquals(List.of("nsynth-test/audio/stray.wav"), draft.report().unused());
    }

    @Test
    void giantStepsTrainsOnTheMtgKeysSplitByArtistAndTestsOnGiantSteps() throws IOException {
        Path dir = FakeDatasets.giantSteps(tmp.resolve("GS"), MP3);
        TaskDraft draft = Datasets.get("giantsteps-key").read(dir);
        assertEquals(Map.of("MTG key confidence below 2", 1, "MTG key: more than one key", 1), draft.report().skipped());
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/gs"), false));
        assertEquals(TaskType.KEY, t.type());
        assertEquals(30.0, t.windowSeconds());
        Map<String, Split> byTrack = t.examples().stream().collect(Collectors.toMap(
                e -> e.audio().getFileName().toString().replace(".LOFI.mp3", ""), TaskExample::split));
        // 'Artist 0' hashes to valid; 'Artist 1' collaborated with it, so all of Artist 1's tracks are valid too
        assertEquals(Split.VALID, byTrack.get("101"));
        assertEquals(Split.VALID, byTrack.get("102"));
        assertEquals(Split.VALID, byTrack.get("103"));
        assertEquals(Split.TRAIN, byTrack.get("104"));
        assertEquals(Split.TRAIN, byTrack.get("105"));
        assertFalse(byTrack.containsKey("106") || byTrack.containsKey("107"));
        assertEquals(Split.TEST, byTrack.get("1001"));
        assertEquals("Eb minor", t.split(Split.TEST).get(1).label());
    }

    @Test
    void magnaTagATuneUsesTheTop50TagsAndTheFolderSplit() throws IOException {
        Path dir = FakeDatasets.magnaTagATune(tmp.resolve("MTT"), MP3);
        TaskDraft draft = Datasets.get("mtat").read(dir);
        assertEquals(List.of("9/missing-clip.mp3"), draft.report().missing());
        assertEquals(List.of("e/not-in-csv.mp3"), draft.report().unused());
        assertEquals(Map.of("empty mp3 file (known in MagnaTagATune)", 1), draft.report().skipped());
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/mtt"), false));
        assertEquals(TaskType.MULTILABEL, t.type());
        assertEquals(50, t.classes().size());
        assertEquals("guitar", t.classes().get(0)); // the most frequent first
        assertFalse(t.classes().contains("rare tag 54")); // never used: not in the top 50
        assertEquals(Map.of(Split.TRAIN, 3L, Split.VALID, 2L, Split.TEST, 2L), counts(t));
        TaskExample first = t.examples().get(0);
        assertTrue(first.labels().contains("guitar") && first.labels().contains("classical"), first.labels().toString());
    }

    @Test
    void emoMusicStandardisesArousalAndValenceAndSplitsTheDevelopmentSetByArtist() throws IOException {
        Path dir = FakeDatasets.emoMusic(tmp.resolve("emomusic"), MP3);
        Task t = Task.load(TaskFolderWriter.write(Datasets.get("emomusic").read(dir), dir, tmp.resolve("tasks/emo"),
                false));
        assertEquals(TaskType.REGRESSION, t.type());
        assertEquals(Map.of(Split.TRAIN, 3L, Split.VALID, 2L, Split.TEST, 2L), counts(t));
        double mean = t.examples().stream().filter(e -> e.split() != Split.TEST).mapToDouble(e -> e.targets()[0])
                .average().orElseThrow();
        assertEquals(0.0, mean, 1e-9); // standardised on the development set
        assertEquals(Split.VALID, t.examples().stream().filter(e -> e.audio().getFileName().toString().equals("4.mp3"))
                .findFirst().orElseThrow().split()); // Band e hashes to valid
    }

    @Test
    void aDatasetThatIsNotThereIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> Datasets.get("gtzan").read(tmp));
        assertTrue(e.getMessage().contains("genre folders"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.get("fma"));
    }

    /** The first three clips of each split list (so a probe has every split). */
    static List<String> threePerSplit() {
        List<String> out = new ArrayList<>();
        Map<String, Split> split = Gtzan.split();
        for (Split s : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            split.entrySet().stream().filter(e -> e.getValue() == s).limit(3).forEach(e -> out.add(e.getKey()));
        }
        return out;
    }



}
