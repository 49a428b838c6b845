package org.mert4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.mert4j.synth.SynthesizerMissingException;
import org.mert4j.synth.TaskGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert tasks make NAME --out DIR}: renders a local evaluation task from General MIDI. */
@Command(name = "tasks", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {TasksCommand.Make.class},
        description = {"Evaluation tasks made locally from General MIDI with fluidsynth (no download needed).",
            "Needs the Debian packages fluidsynth and a GM SoundFont:",
            "  sudo apt-get install -y fluidsynth timgm6mb-soundfont"},
        footer = {"", "Examples:", "  mert tasks make notes-pitch --out tasks/notes-pitch",
            "  mert tasks make beat --out tasks/beat --count 60 --seed 2"})
public final class TasksCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: make");
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
}
