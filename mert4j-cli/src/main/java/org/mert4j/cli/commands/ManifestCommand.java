package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;
import java.util.function.Predicate;

import org.mert4j.audio.AudioFiles;
import org.mert4j.cli.console.Counts;
import org.mert4j.cli.jobs.FailureLog;
import org.mert4j.cli.jobs.FileJobRunner;
import org.mert4j.cli.jobs.InputFile;
import org.mert4j.cli.jobs.OutputLock;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.teacher.Manifest;
import org.mert4j.teacher.ManifestBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert manifest}: the fairseq manifest of an audio folder, for labelling and pretraining. */
@Command(name = "manifest", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Lists the audio files of a folder in fairseq's manifest format (what HuBERT and MERT training read):"
                + " line 1 the folder, then one line per file 'relative/path<TAB>num_samples'.",
            "",
            "num_samples counts samples after decoding, mixing to mono and resampling to --sample-rate (the rate"
                + " of the model to train), so every file is decoded once to measure it. The rate is written next"
                + " to the manifest in <manifest>.json ({\"sample_rate\": 24000, \"rows\": N}).",
            "",
            "Files that cannot be decoded, dangling links, FIFOs and file names with a tab or line break are"
                + " reported, listed in failures.tsv next to the manifest and left out; files shorter than"
                + " --min-seconds are left out and counted; a file shorter than its header declares (truncated)"
                + " is listed with a warning."},
        footer = {
            "",
            "Examples:",
            "  # one manifest of everything under music/ at 24 kHz (MERT-v1)",
            "  mert manifest music/ --out data/all.tsv",
            "  # 1%% held out: data/train.tsv and data/valid.tsv, clips of at least 2 s",
            "  mert manifest music/ --out data/train.tsv --valid-percent 1 --min-seconds 2",
            "  # a 16 kHz manifest (HuBERT, MERT-v0)",
            "  mert manifest music/ --out data16k/train.tsv --sample-rate 16000",
            "",
            "Exit status: 0 all files listed, 1 some files could not be decoded, 2 usage error."})
public final class ManifestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder searched recursively for audio files.")
    private Path dir;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "PATH",
            description = "Manifest file (NAME.tsv), or a folder that gets train.tsv; with --valid-percent the"
                    + " held-out rows go to valid.tsv beside it.")
    private Path out;

    @Option(names = "--sample-rate", defaultValue = "24000", paramLabel = "HZ",
            description = "Rate the lengths are counted at (the model's). Default: ${DEFAULT-VALUE}.")
    private int sampleRate;

    @Option(names = "--min-seconds", defaultValue = "0", paramLabel = "S",
            description = "Leave out files shorter than this. Default: ${DEFAULT-VALUE}.")
    private double minSeconds;

    @Option(names = "--valid-percent", defaultValue = "0", paramLabel = "P",
            description = "Hold out P%% of the files (at random) in valid.tsv. Default: ${DEFAULT-VALUE}.")
    private double validPercent;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the train/valid split. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (sampleRate < 1) {
            throw new UsageException("--sample-rate " + sampleRate + ": must be positive");
        }
        if (!(validPercent >= 0 && validPercent < 100)) {
            throw new UsageException("--valid-percent " + validPercent + ": must be in [0, 100)");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + ": not a folder");
        }
        boolean namesFile = out.getFileName().toString().endsWith(".tsv") && !Files.isDirectory(out);
        Path trainFile = namesFile ? out : out.resolve("train.tsv");
        Path folder = trainFile.toAbsolutePath().getParent();
        Path validFile = folder.resolve("valid.tsv");
        if (validPercent > 0 && validFile.equals(trainFile.toAbsolutePath())) {
            throw new UsageException("--valid-percent writes the held-out rows to valid.tsv beside --out, which is "
                    + out + " itself: name the training manifest otherwise (e.g. train.tsv)");
        }
        ManifestBuilder builder = new ManifestBuilder(dir, sampleRate, minSeconds);
        Path root = builder.root();
        List<AudioFiles.Problem> problems = new ArrayList<>();
        List<InputFile> files = new ArrayList<>();
        for (Path f : builder.audioFiles(problems::add)) {
            files.add(new InputFile(f, f.getFileName()));
        }
        if (files.isEmpty() && problems.isEmpty()) {
            throw new UsageException("no audio files in " + dir + " (audio extensions: "
                    + String.join(", ", new java.util.TreeSet<>(AudioFiles.EXTENSIONS)) + ")");
        }
        // the manifest covers the whole folder: earlier failures of files below it are superseded
        Predicate<String> superseded = p -> Path.of(p).toAbsolutePath().normalize().startsWith(root);
        try (OutputLock lock = OutputLock.acquire(folder, "mert manifest", err);
             FailureLog failures = new FailureLog(folder.resolve(FailureLog.FILE_NAME), superseded)) {
            FileJobRunner runner = new FileJobRunner("mert manifest", err, verbose.stackTraces(), failures);
            for (AudioFiles.Problem p : problems) {
                runner.failed(p.path(), p.reason());
            }
            runner.run(files, new FileJobRunner.Job<Manifest.Entry>() {
                @Override
                public Manifest.Entry work(int index, InputFile f, DoubleConsumer partway) {
                    return builder.measure(f.file(), warning -> runner.warning(f, warning));
                }

                @Override
                public double keep(int index, InputFile f, Manifest.Entry row) {
                    return builder.add(row) ? row.numSamples() / (double) sampleRate : 0;
                }
            });
            Manifest m = builder.build();
            if (validPercent > 0) {
                Manifest.Split split = m.split(validPercent, seed);
                split.train().write(trainFile);
                split.valid().write(validFile);
                err.printf(Locale.ROOT, "mert manifest: %s (%s, %.2f h), %s (%s, %.2f h)%n", trainFile,
                        Counts.of(split.train().size(), "file"), split.train().totalSeconds() / 3600, validFile,
                        Counts.of(split.valid().size(), "file"), split.valid().totalSeconds() / 3600);
            } else {
                m.write(trainFile);
                err.printf(Locale.ROOT, "mert manifest: %s (%s, %.2f h at %d Hz)%n", trainFile, Counts.of(m.size(), "file"),
                        m.totalSeconds() / 3600, sampleRate);
            }
            if (builder.tooShort() > 0) {
                err.printf(Locale.ROOT, "mert manifest: left out %s shorter than %s s%n",
                        Counts.of(builder.tooShort(), "file"), minSeconds > 0 ? Double.toString(minSeconds) : "0 (empty)");
            }
            if (failures.count() > 0) {
                err.println("mert manifest: " + Counts.of(failures.count(), "file") + " could not be listed; they are in "
                        + failures.file());
            }
            return runner.exitCode();
        }
    }
}
