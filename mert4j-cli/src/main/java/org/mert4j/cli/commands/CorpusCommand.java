package org.mert4j.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.synth.CorpusGenerator;
import org.mert4j.synth.SynthesizerMissingException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert corpus --out DIR --hours H}: renders a pretraining corpus of General MIDI music. */
@Command(name = "corpus", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Writes a pretraining corpus of multi-instrument music, composed from General MIDI and rendered "
                + "with fluidsynth: pieces in all 24 keys at 60-180 BPM with chords, melody, bass and drums on many "
                + "programs, as audio/NNNNN.wav (24 kHz mono) and pieces.jsonl (key, tempo, parts, programs).",
            "Needs the Debian packages fluidsynth and a GM SoundFont:",
            "  sudo apt-get install -y fluidsynth timgm6mb-soundfont"},
        footer = {"", "Example:", "  mert corpus --out corpus --hours 3 --seed 1",
            "  mert manifest corpus --out data --valid-percent 2",
            "", "Exit status: 0 ok, 1 rendering failed or fluidsynth is missing, 2 bad command line."})
public final class CorpusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    private Path out;

    @Option(names = "--hours", defaultValue = "3", description = "hours of audio to write (default ${DEFAULT-VALUE})")
    private double hours;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; same seed, same corpus (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--min-seconds", defaultValue = "20", description = "shortest piece (default ${DEFAULT-VALUE})")
    private double minSeconds;

    @Option(names = "--max-seconds", defaultValue = "40", description = "longest piece (default ${DEFAULT-VALUE})")
    private double maxSeconds;

    @Option(names = "--soundfont", paramLabel = "SF2", description = "a GM SoundFont (default: TimGM6mb, then "
            + "FluidR3_GM from /usr/share/sounds/sf2)")
    private Path soundFont;

    @Override
    public Integer call() throws Exception {
        CorpusGenerator.Options options;
        try {
            options = new CorpusGenerator.Options(seed, hours, minSeconds, maxSeconds, soundFont);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long started = System.nanoTime();
        ProgressBar[] bar = {null};
        try {
            CorpusGenerator.Summary s = CorpusGenerator.generate(out, options, (done, total, seconds) -> {
                if (bar[0] == null) {
                    bar[0] = new ProgressBar(spec.commandLine().getErr(), total, ProgressBar.interactive());
                }
                bar[0].update(done, seconds, null, done == total);
            });
            if (bar[0] != null) {
                bar[0].clear();
            }
            spec.commandLine().getOut().printf("corpus: %d pieces, %.2f h of audio in %.0f s -> %s%n", s.pieces(),
                    s.seconds() / 3600, (System.nanoTime() - started) / 1e9, s.folder());
            return ExitCode.OK;
        } catch (SynthesizerMissingException e) {
            spec.commandLine().getErr().println("mert corpus: " + e.getMessage());
            return ExitCode.SOME_FAILED;
        }
    }
}
