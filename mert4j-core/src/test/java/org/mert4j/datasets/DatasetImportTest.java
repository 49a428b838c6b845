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

    /** A row of the fake annotations_final.csv (55 tags): the clip id, the tags given on, the mp3_path. */
    private static String mtatRow(int id, String path, int... on) {
        StringBuilder row = new StringBuilder("\"" + id + "\"");
        for (int t = 0; t < 55; t++) {
            int tag = t;
            row.append("\t\"").append(java.util.Arrays.stream(on).anyMatch(o -> o == tag) ? 1 : 0).append('"');
        }
        return row.append("\t\"").append(path).append("\"\n").toString();
    }

    @Test
    void mtatPathsLeadingOutOfTheDatasetAreRejectedAndNeverCopied() throws IOException {
        Path dir = FakeDatasets.magnaTagATune(tmp.resolve("MTT"), MP3);
        Path secret = Files.writeString(tmp.resolve("secret.mp3"), "not part of the dataset");
        Path csv = dir.resolve("annotations_final.csv");
        // the header and 9 clips take lines 1..10
        Files.writeString(csv, mtatRow(90, "../../secret.mp3", 0) + mtatRow(91, secret.toAbsolutePath().toString(), 0)
                + mtatRow(92, "/etc/passwd", 0) + mtatRow(93, "0/../../../secret.mp3", 0),
                java.nio.file.StandardOpenOption.APPEND);
        TaskDraft draft = Datasets.get("mtat").read(dir);
        List<String> rejected = draft.report().rejected();
        assertEquals(4, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).startsWith("annotations_final.csv line 11: mp3_path '../../secret.mp3'"),
                rejected.get(0));
        assertTrue(rejected.get(2).startsWith("annotations_final.csv line 13: mp3_path '/etc/passwd'"),
                rejected.get(2));
        Path out = tmp.resolve("tasks/mtt");
        Task t = Task.load(TaskFolderWriter.write(draft, dir, out, true));
        assertEquals(7, t.examples().size());
        Path mp3 = dir.resolve("mp3").toAbsolutePath().normalize();
        for (TaskDraft.Entry e : draft.entries()) {
            assertTrue(e.audio().toAbsolutePath().normalize().startsWith(mp3), e.audio().toString());
        }
        try (var files = Files.walk(out)) {
            List<String> copied = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            assertFalse(copied.contains("passwd") || copied.contains("secret.mp3"), copied.toString());
        }
        // the written report lists them too
        assertTrue(Files.readString(out.resolve("import.json")).contains("line 13: mp3_path '/etc/passwd'"));
    }

    @Test
    void mtatShortBadAndRepeatedRowsAreRejectedByLineAndAnEmptyFileIsAClearError() throws IOException {
        Path dir = FakeDatasets.magnaTagATune(tmp.resolve("MTT"), MP3);
        Path csv = dir.resolve("annotations_final.csv");
        // line 11: too short; 12: a tag that is not 0/1; 13: the first clip again, with other tags
        Files.writeString(csv, "\"99\"\t\"1\"\n" + mtatRow(100, "0/x.mp3", 0).replace("\t\"1\"", "\t\"yes\"")
                + mtatRow(101, "0/a-track-01-0-29.mp3", 4), java.nio.file.StandardOpenOption.APPEND);
        TaskDraft draft = Datasets.get("mtat").read(dir);
        assertEquals(List.of("annotations_final.csv line 11: 2 fields, the header row has 57",
                "annotations_final.csv line 12: tag 'guitar' is 'yes', expected 0 or 1",
                "annotations_final.csv line 13: mp3_path '0/a-track-01-0-29.mp3' again (first on line 2, which is kept)"),
                draft.report().rejected());
        assertEquals(Map.of(Split.TRAIN, 3, Split.VALID, 2, Split.TEST, 2), Map.of(Split.TRAIN,
                draft.report().clips(Split.TRAIN), Split.VALID, draft.report().clips(Split.VALID), Split.TEST,
                draft.report().clips(Split.TEST)));
        TaskDraft.Entry first = draft.entries().get(0);
        assertTrue(first.audio().endsWith("0/a-track-01-0-29.mp3"));
        assertFalse(first.fields().toString().contains("strings"), first.fields().toString()); // the first row's tags
        Files.writeString(csv, "");
        IOException empty = assertThrows(IOException.class, () -> Datasets.get("mtat").read(dir));
        assertTrue(empty.getMessage().contains("annotations_final.csv: empty"), empty.getMessage());
    }

    @Test
    void emoMusicRejectsNonFiniteAndRepeatedAnnotationsAndNamesAMissingColumn() throws IOException {
        Path dir = FakeDatasets.emoMusic(tmp.resolve("emomusic"), MP3);
        Path stat = dir.resolve("annotations/static_annotations.csv");
        // song 3 (line 3) gets an infinite arousal; song 2 appears again with other values, song 5 with none
        String text = Files.readString(stat).replace("3,5.0,0.9,5.5,1.1", "3,Infinity,0.9,5.5,1.1");
        Files.writeString(stat, text + "2,9.9,0.9,1.0,1.1\n5,NaN,0.9,,1.1\n");
        TaskDraft draft = Datasets.get("emomusic").read(dir);
        assertEquals(List.of("static_annotations.csv line 3: song 3: mean_arousal is 'Infinity', not a finite number",
                "static_annotations.csv line 9: song 2 again (first on line 2, which is kept)",
                "static_annotations.csv line 10: song 5: mean_arousal is 'NaN', not a finite number"),
                draft.report().rejected());
        Task t = Task.load(TaskFolderWriter.write(draft, dir, tmp.resolve("tasks/emo"), false));
        assertEquals(6, t.examples().size()); // song 3 left out
        for (TaskExample e : t.examples()) {
            assertTrue(Double.isFinite(e.targets()[0]) && Double.isFinite(e.targets()[1]), e.id());
        }
        double mean = t.examples().stream().filter(e -> e.split() != Split.TEST).mapToDouble(e -> e.targets()[0])
                .average().orElseThrow();
        assertEquals(0.0, mean, 1e-9); // the rejected rows play no part in the standardisation

        Files.writeString(stat, "song_id,mean_arousal,std_arousal\n2,3.1,0.9\n");
        IOException e = assertThrows(IOException.class, () -> Datasets.get("emomusic").read(dir));
        assertTrue(e.getMessage().contains("static_annotations.csv") && e.getMessage().contains("'mean_valence'"),
                e.getMessage());
    }

    @Test
    void nsynthRejectsNotesWithoutAUsableLabelAndNotesListedTwice() throws IOException {
        List<Note> notes = List.of(new Note("train", "bass", 40), new Note("train", "guitar", 60),
                new Note("train", "vocal", 62), new Note("valid", "bass", 41), new Note("test", "reed", 72));
        Path dir = FakeDatasets.nsynth(tmp.resolve("nsynth"), notes, 0.1);
        Path examples = dir.resolve("nsynth-train/examples.json");
        String json = Files.readString(examples).replace("\"pitch\": 40,", "\"pitch\": \"NaN\",")
                .replace("\"pitch\": 60,", "").replace("\"guitar\"", "\"banjo\"");
        json = json.substring(0, json.lastIndexOf('}')) + ",\n\"vocal_acoustic_002-062-100\": {\"pitch\": 10,"
                + " \"instrument_family_str\": \"bass\"}\n}\n";
        Files.writeString(examples, json);
        TaskDraft pitch = Datasets.get("nsynth-pitch").read(dir);
        List<String> rejected = pitch.report().rejected();
        assertEquals(3, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).startsWith("nsynth-train/examples.json line 2: note 'bass_acoustic_000-040-100'"
                + " has no usable pitch"), rejected.get(0));
        assertTrue(rejected.get(2).startsWith("nsynth-train/examples.json line 6: note 'vocal_acoustic_002-062-100'"
                + " again (first on line 4"), rejected.get(2));
        assertEquals(List.of("62"), pitch.entries().stream().filter(e -> e.split() == Split.TRAIN)
                .map(e -> e.fields().get("label").asText()).toList());
        TaskDraft instrument = Datasets.get("nsynth-instrument").read(dir);
        assertEquals(List.of("bass", "vocal"), instrument.entries().stream().filter(e -> e.split() == Split.TRAIN)
                .map(e -> e.fields().get("label").asText()).toList());
        assertTrue(instrument.report().rejected().get(0).contains("'guitar_acoustic_001-060-100' has no usable"
                + " instrument_family_str"), instrument.report().rejected().toString());
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
