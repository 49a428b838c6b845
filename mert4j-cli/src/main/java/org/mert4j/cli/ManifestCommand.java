package org.mert4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.AudioFiles;
import org.mert4j.audio.Waveform;
import org.mert4j.teacher.Manifest;

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
        Path root = dir.toAbsolutePath().normalize();
        List<AudioFiles.Problem> problems = new ArrayList<>();
        List<Path> files = AudioFiles.expand(List.of(dir.toString()), problems::add);
        if (files.isEmpty() && problems.isEmpty()) {
            throw new UsageException("no audio files in " + dir + " (audio extensions: "
                    + String.join(", ", new java.util.TreeSet<>(AudioFiles.EXTENSIONS)) + ")");
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        int tooShort = 0;
        double seconds = 0;
        long minSamples = (long) Math.ceil(minSeconds * sampleRate);
        ProgressBar progress = ProgressBar.forLongRun(err, files.size(), "mert manifest");
        // the manifest covers the whole folder: earlier failures of files below it are superseded
        Predicate<String> superseded = p -> Path.of(p).toAbsolutePath().normalize().startsWith(root);
        try (OutputLock lock = OutputLock.acquire(folder, "mert manifest", err);
             FailureLog failures = new FailureLog(folder.resolve(FailureLog.FILE_NAME), superseded)) {
            for (AudioFiles.Problem p : problems) {
                fail(err, failures, p.path(), p.reason(), null);
            }
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                progress.update(i, seconds, f.getFileName().toString(), i == 0);
                String rel = root.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
                if (rel.matches("(?s).*[\\t\\r\\n].*")) {
                    progress.clear();
                    fail(err, failures, f.toString(), "the file name holds a tab or line break, which a manifest row"
                            + " (path<TAB>num_samples, one per line) cannot hold: rename the file", null);
                    continue;
                }
                long n;
                try {
                    Waveform w = AudioDecoder.decode(f, warning -> {
                        progress.clear();
                        err.println("mert manifest: warning: " + f + ": " + warning);
                    });
                    n = Manifest.samplesAt(w.numSamples(), w.sampleRate(), sampleRate);
                } catch (RuntimeException | OutOfMemoryError e) {
                    progress.clear();
                    fail(err, failures, f.toString(), FileJobRunner.reason(new InputFile(f, f.getFileName()), e), e);
                    continue;
                }
                if (n < minSamples || n == 0) {
                    tooShort++;
                    continue;
                }
                seconds += n / (double) sampleRate;
                entries.add(new Manifest.Entry(rel, n));
            }
            progress.update(files.size(), seconds, null, true);
            progress.clear();
            Manifest m = new Manifest(root, sampleRate, entries);
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
            if (tooShort > 0) {
                err.printf(Locale.ROOT, "mert manifest: left out %s shorter than %s s%n", Counts.of(tooShort, "file"),
                        minSeconds > 0 ? Double.toString(minSeconds) : "0 (empty)");
            }
            if (failures.count() > 0) {
                err.println("mert manifest: " + Counts.of(failures.count(), "file") + " could not be listed; they are in "
                        + failures.file());
                return ExitCode.SOME_FAILED;
            }
            return ExitCode.OK;
        }
    }

    private void fail(PrintWriter err, FailureLog failures, String path, String reason, Throwable e) throws IOException {
        err.println("mert manifest: FAILED " + FailureLog.oneLine(path) + ": " + reason);
        if (e != null && (verbose.stackTraces())) {
            e.printStackTrace(err);
        }
        err.flush();
        failures.add(path, reason);
    }
}
