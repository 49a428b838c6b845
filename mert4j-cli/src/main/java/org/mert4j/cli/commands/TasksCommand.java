package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.datasets.DatasetImporter;
import org.mert4j.datasets.Datasets;
import org.mert4j.datasets.ImportReport;
import org.mert4j.datasets.TaskDraft;
import org.mert4j.datasets.TaskFolderWriter;
import org.mert4j.probe.Split;

import org.mert4j.synth.SynthesizerMissingException;
import org.mert4j.synth.TaskGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mert tasks make NAME --out DIR}: renders a local evaluation task from General MIDI;
 * {@code mert tasks import NAME DIR --out TASKDIR}: turns a published dataset into a task with MARBLE's split.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {TasksCommand.Make.class, TasksCommand.Import.class},
        description = {"Evaluation tasks for 'mert probe': imported from the datasets MARBLE evaluates on, as their",
            "publishers ship them (import), or made locally from General MIDI with fluidsynth (make; needs the",
            "Debian packages fluidsynth and a GM SoundFont: sudo apt-get install -y fluidsynth timgm6mb-soundfont)."},
        footer = {"", "Examples:", "  mert tasks import gtzan data/GTZAN --out tasks/gtzan",
            "  mert tasks make notes-pitch --out tasks/notes-pitch",
            "  mert tasks make beat --out tasks/beat --count 60 --seed 2"})
public final class TasksCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: import or make");
    }

    @Command(name = "make", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Writes task.yaml, manifest.jsonl, audio/ (24 kHz mono WAV) and beats/ into --out.",
                "  notes-pitch       single notes, 24 pitch classes (C3..B4), 42 GM programs,",
                "                    split by program",
                "  notes-instrument  single notes, 10 GM families x 8 programs, split by program",
                "  key               chord progressions and melodies in all 24 keys",
                "  beat              drums and accompaniment at 70-180 BPM with beat annotations",
                "Notes last 1.5 s by default (NSynth: 4 s; use --seconds 4 for that)."},
            footer = {"", "Example:", "  mert tasks make key --out tasks/key --count 8",
                "", "Exit status: 0 ok, 1 rendering failed or fluidsynth is missing, 2 bad command line."})
    static final class Make implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "notes-pitch, notes-instrument, key or beat")
        private String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
        private Path out;

        @Option(names = "--seed", defaultValue = "0", description = "random seed (same seed, same task)")
        private long seed;

        @Option(names = "--count", defaultValue = "0", paramLabel = "N",
                description = "notes per program (pitch 24, instrument 12), clips per key (36) or beat clips (400);"
                        + " 0 for the default")
        private int count;

        @Option(names = "--seconds", defaultValue = "0", description = "clip length (notes 1.5, key 8, beat 10)")
        private double seconds;

        @Option(names = "--soundfont", paramLabel = "SF2", description = "a GM SoundFont (default: TimGM6mb,"
                + " then FluidR3_GM from /usr/share/sounds/sf2)")
        private Path soundFont;

        @Override
        public Integer call() throws Exception {
            if (!TaskGenerator.NAMES.contains(name)) {
                throw new UsageException("unknown task '" + name + "' (expected one of " + TaskGenerator.NAMES + ")");
            }
            PrintWriter err = spec.commandLine().getErr();
            long started = System.nanoTime();
            int[] clips = {0};
            try {
                Path file = TaskGenerator.generate(name, out, new TaskGenerator.Options(seed, count, seconds,
                        soundFont), n -> clips[0] = n);
                spec.commandLine().getOut().printf("%s: %d clips in %.1f s -> %s%n", name, clips[0],
                        (System.nanoTime() - started) / 1e9, file);
                return ExitCode.OK;
            } catch (SynthesizerMissingException e) {
                err.println("mert tasks: " + e.getMessage());
                return ExitCode.SOME_FAILED;
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Turns a dataset, laid out as its publisher ships it, into a task folder for 'mert probe':",
                "task.yaml, manifest.jsonl (audio paths relative to it: nothing is copied unless --copy) and",
                "import.json (clips per split, files missing or unused). The splits are MARBLE's. Missing or",
                "extra files are reported and counted; the import goes on. So are rows that cannot be used (a",
                "missing or non-finite label, a clip listed twice: the first row counts, a path leading out of",
                "DIR), each named by file and line. An annotation file that is empty or lacks a column is refused.",
                "DIR is the dataset's folder (or one above)."},
            footer = {"", "Datasets (NAME, and what DIR holds):",
                "  gtzan              GTZAN genre: genres/<genre>/*.au,",
                "                     or Data/genres_original/<genre>/*.wav",
                "  gtzan-beat         GTZAN audio plus GTZAN-Rhythm v2 jams/*.wav.jams",
                "                     (or gtzan_tempo_beat beats/)",
                "  nsynth-instrument  NSynth: nsynth-{train,valid,test}/examples.json and audio/",
                "  nsynth-pitch       the same, MIDI pitch",
                "  giantsteps-key     giantsteps-key-dataset/ (test),",
                "                     giantsteps-mtg-key-dataset/ (train, valid)",
                "  mtat               MagnaTagATune: annotations_final.csv and mp3/<0-f>/*.mp3,",
                "                     top-50 tags",
                "  emomusic           EmoMusic: songs_info.csv, static_annotations.csv,",
                "                     clips_45seconds/*.mp3",
                "", "Examples:", "  mert tasks import gtzan data/GTZAN --out tasks/gtzan",
                "  mert tasks import nsynth-pitch data/NSynth --out tasks/nsynth-pitch",
                "  mert probe --task tasks/gtzan/task.yaml --model m-a-p/MERT-v1-95M",
                "", "Exit status: 0 ok (also with files missing or rows left out, reported), 2 bad command line or no",
                "usable dataset."})
    static final class Import implements Callable<Integer> {
        private static final int SHOWN = 5;

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "the dataset (see below)")
        private String name;

        @Parameters(index = "1", paramLabel = "DIR", description = "where the dataset is")
        private Path dir;

        @Option(names = "--out", required = true, paramLabel = "TASKDIR", description = "the task folder to write")
        private Path out;

        @Option(names = "--copy", description = "copy the audio into TASKDIR/audio/ instead of pointing at it")
        private boolean copy;

        @Override
        public Integer call() throws Exception {
            DatasetImporter importer;
            try {
                importer = Datasets.get(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (!Files.isDirectory(dir)) {
                throw new UsageException(dir + ": no such folder");
            }
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TaskDraft draft;
            Path task;
            try {
                draft = importer.read(dir);
                task = TaskFolderWriter.write(draft, dir, out, copy);
            } catch (IOException e) {
                throw new UsageException(e.getMessage());
            }
            ImportReport r = draft.report();
            o.printf(Locale.ROOT, "%s: %d clips (train %d, valid %d, test %d)%s -> %s%n", name, r.total(),
                    r.clips(Split.TRAIN), r.clips(Split.VALID), r.clips(Split.TEST),
                    draft.classes().isEmpty() ? "" : ", " + draft.classes().size() + " classes", task);
            report(err, "missing", r.missing(), "listed by the dataset but not found, left out");
            report(err, "unused", r.unused(), "on disk but in no split (MARBLE leaves them out)");
            report(err, "rows rejected", r.rejected(), "unusable rows of the dataset's lists, left out");
            r.skipped().forEach((why, n) -> err.printf(Locale.ROOT, "mert tasks import: %d left out: %s%n", n, why));
            err.flush();
            return ExitCode.OK;
        }

        private static void report(PrintWriter err, String what, List<String> items, String meaning) {
            if (!items.isEmpty()) {
                err.printf(Locale.ROOT, "mert tasks import: %d %s (%s): %s%s%n", items.size(), what, meaning,
                        String.join(", ", items.subList(0, Math.min(SHOWN, items.size()))),
                        items.size() > SHOWN ? ", ... (all in import.json)" : "");
            }
        }
    }
}
