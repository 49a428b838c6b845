package org.mert4j.cli.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.AudioPrefetch;
import org.mert4j.cli.console.Summary;
import org.mert4j.cli.jobs.FileJobRunner;
import org.mert4j.cli.jobs.InputFile;
import org.mert4j.cli.jobs.OutputLock;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.teacher.LabelFile;
import org.mert4j.teacher.LabelSetInfo;
import org.mert4j.teacher.LabelSetWriter;
import org.mert4j.teacher.LabelTeacher;
import org.mert4j.teacher.Manifest;
import org.mert4j.teacher.TeacherAudio;
import org.mert4j.teacher.TeacherFactory;
import org.mert4j.teacher.TeacherSettings;
import org.mert4j.teacher.Teachers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert labels}: teacher labels of every row of a manifest, resumable. */
@Command(name = "labels", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Computes the frame labels MERT pretraining predicts, for every row of a manifest (see mert manifest).",
            "",
            "Writes a label folder: one text file <stream>.km per label stream with one line per manifest row"
                + " (space-separated labels, one per encoder frame: 75 Hz at 24 kHz, 50 Hz at 16 kHz), and"
                + " labels.json naming the teacher, rates, manifest, rows and streams. A row that cannot be"
                + " labelled is the line '#FAILED <reason>', so rows never shift.",
            "",
            "Teachers: hubert-kmeans (k-means on hidden states of a MERT model), mfcc-kmeans and"
                + " logmel-chroma-kmeans (k-means on signal features), encodec (the 8 codebooks of an EnCodec"
                + " model, --teacher-model DIR) and rvq (an RVQ-VAE from 'mert teacher train-rvq',"
                + " --teacher-model DIR).",
            "--fit first fits the k-means on --sample-frames random frames of the manifest and saves it in"
                + " --out as kmeans-<features>.safetensors; a rerun reuses it. Without --fit give the fitted"
                + " k-means: --kmeans FILE (hubert-kmeans, with --teacher-model MODEL_DIR --layer N) or"
                + " --teacher-model FILE|DIR (mfcc-kmeans, logmel-chroma-kmeans).",
            "",
            "Resumable: rows are appended as they are done; a rerun with the same settings continues after the"
                + " last complete row (a half-written line is dropped). labels.json records the teacher, its"
                + " settings and a hash of the manifest's rows: a rerun for another manifest (even one with as"
                + " many rows) or other settings is refused, naming the difference. --overwrite starts the labels"
                + " again. A second mert writing into the same folder is refused (lock file .mert.lock)."},
        footer = {
            "",
            "Examples:",
            "  # HuBERT-style iteration 2: fit k=500 on layer 6 of a model, then label",
            "  mert labels --teacher hubert-kmeans --teacher-model MERT-v0 --layer 6 --fit \\",
            "              --manifest data/train.tsv --out labels/hubert6",
            "  # label the valid set with the same k-means",
            "  mert labels --teacher hubert-kmeans --teacher-model MERT-v0 --layer 6 \\",
            "              --kmeans labels/hubert6/kmeans-hubert_l6.safetensors \\",
            "              --manifest data/valid.tsv --out labels/hubert6-valid",
            "  # MFCC k-means (MERT-v0 iteration 1) on a GPU",
            "  mert labels --teacher mfcc-kmeans --fit --k 500 --device cuda \\",
            "              --manifest data/train.tsv --out labels/mfcc",
            "",
            "Exit status: 0 every row labelled, 1 some rows failed (#FAILED lines), 2 usage error."})
public final class LabelsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--teacher", required = true, paramLabel = "NAME",
            description = "hubert-kmeans, mfcc-kmeans, logmel-chroma-kmeans, encodec or rvq.")
    private String teacher;

    @Option(names = "--manifest", required = true, paramLabel = "FILE",
            description = "fairseq manifest (from mert manifest); its <FILE>.json gives the sample rate.")
    private Path manifestFile;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Label folder to write.")
    private Path out;

    @Option(names = "--teacher-model", paramLabel = "PATH",
            description = "hubert-kmeans: the MERT model folder or Hub model id (m-a-p/MERT-v0); k-means teachers: the fitted k-means file or"
                    + " folder; codec teachers: their weights.")
    private Path teacherModel;

    @Option(names = "--kmeans", paramLabel = "FILE", description = "Fitted k-means (safetensors) for hubert-kmeans.")
    private Path kmeans;

    @Option(names = "--layer", paramLabel = "N",
            description = "hubert-kmeans: hidden state to cluster (0 = before the first transformer layer, -1 ="
                    + " the last).")
    private Integer layer;

    @Option(names = "--fit", description = "Fit the k-means on a sample of the manifest first.")
    private boolean fit;

    @Option(names = "--k", defaultValue = "0", paramLabel = "K",
            description = "Clusters for --fit. Default: the teacher's (500; log-mel/chroma 300 and 200).")
    private int k;

    @Option(names = "--sample-frames", defaultValue = "100000", paramLabel = "N",
            description = "Frames sampled from the manifest for --fit. Default: ${DEFAULT-VALUE}.")
    private int sampleFrames;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the frame sample and the k-means. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--manifest-rate", defaultValue = "0", paramLabel = "HZ",
            description = "Sample rate of a manifest that has no <FILE>.json (e.g. one made by fairseq).")
    private int manifestRate;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda",
            description = "Where the teacher runs: cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    private String device;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads. Default: all processors.")
    private Integer threads;

    @Option(names = "--overwrite", description = "Start the labels in --out again instead of continuing them.")
    private boolean overwrite;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null && threads < 1) {
            throw new UsageException("--threads " + threads + ": must be at least 1");
        }
        if (sampleFrames < 1 || k < 0) {
            throw new UsageException("--sample-frames must be positive and --k not negative");
        }
        if (!Files.isRegularFile(manifestFile)) {
            throw new UsageException(manifestFile + ": manifest not found");
        }
        TeacherFactory factory = Teachers.get(teacher);
        Manifest manifest = Manifest.read(manifestFile, manifestRate);
        torch.set_num_threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        checkResume(manifest);
        try (OutputLock lock = OutputLock.acquire(out, "mert labels", err)) {
            return label(factory, manifest, err);
        }
    }

    /**
     * Before any teacher is loaded or fitted: a label folder made for another teacher or from other manifest
     * rows is refused, naming the difference (the full comparison follows once the teacher is known).
     */
    private void checkResume(Manifest manifest) {
        if (overwrite || !Files.isRegularFile(out.resolve(LabelSetInfo.FILE_NAME))) {
            return;
        }
        LabelSetInfo old = LabelSetInfo.read(out);
        LabelSetInfo now = new LabelSetInfo(teacher, old.frameRate(), old.sampleRate(),
                manifestFile.getFileName().toString(), manifest.size(), old.streams(), old.params(),
                manifest.rowsSha256(), manifest.root().toString());
        List<String> differences = old.differences(now);
        if (!differences.isEmpty()) {
            throw new UsageException(out.resolve(LabelSetInfo.FILE_NAME) + ": this folder holds labels of another run ("
                    + String.join("; ", differences) + "): give another --out, or --overwrite to start the labels"
                    + " again");
        }
    }

    private int label(TeacherFactory factory, Manifest manifest, PrintWriter err) throws IOException {
        TeacherSettings settings = new TeacherSettings(out, teacherModel, kmeans,
                layer == null ? TeacherSettings.NO_LAYER : layer, k, fit, sampleFrames, seed,
                device, msg -> {
                    err.println("mert labels: " + msg);
                    err.flush();
                });
        try (LabelTeacher t = factory.create(settings, manifest)) {
            LabelSetInfo info = new LabelSetInfo(t.name(), t.frameRate(), manifest.sampleRate(),
                    manifestFile.getFileName().toString(), manifest.size(), t.streams(), t.params(),
                    manifest.rowsSha256(), manifest.root().toString());
            try (LabelSetWriter writer = LabelSetWriter.open(out, info, overwrite)) {
                int start = writer.nextRow();
                if (start > 0) {
                    err.println("mert labels: continuing after row " + start + " of " + manifest.size()
                            + " (--overwrite starts again)");
                }
                int failedBefore = countFailed(out.resolve(info.streams().get(0).fileName()));
                int failedNow = run(t, manifest, writer, err);
                int failed = failedBefore + failedNow;
                if (failed > 0) {
                    err.println("mert labels: " + failed + " rows have no labels (#FAILED lines in " + out + ")");
                    return ExitCode.SOME_FAILED;
                }
                return ExitCode.OK;
            }
        }
    }

    private int run(LabelTeacher t, Manifest manifest, LabelSetWriter writer, PrintWriter err) throws IOException {
        int start = writer.nextRow();
        int rate = manifest.sampleRate();
        List<InputFile> pending = new ArrayList<>();
        for (int r = start; r < manifest.size(); r++) {
            pending.add(new InputFile(manifest.file(r), Path.of(manifest.get(r).path())));
        }
        // a row that fails is a #FAILED line in the label files, not a line in failures.tsv
        FileJobRunner runner = new FileJobRunner("mert labels", err, verbose.stackTraces(), null);
        long computeNanos;
        try (AudioPrefetch<InputFile, float[]> audio = new AudioPrefetch<>(pending, f -> TeacherAudio.load(f.file(), rate,
                warning -> runner.warning(f, warning)), 2)) {
            RowLabeller labeller = new RowLabeller(t, manifest, writer, start, audio);
            runner.run(pending, labeller);
            computeNanos = labeller.computeNanos;
        }
        Summary summary = runner.summary();
        double compute = computeNanos / 1e9;
        double wall = summary.elapsedSeconds();
        err.printf(Locale.ROOT, "mert labels: %d rows labelled, %d failed, %d done before; %.1f s of audio in %s"
                + " (%.3g h of audio per hour)%n", summary.okCount(), summary.failedCount(), start,
                summary.audioSeconds(), Summary.clock(wall), wall > 0 ? summary.audioSeconds() / wall : 0.0);
        if (compute > 0) {
            err.printf(Locale.ROOT, "mert labels: teacher alone: %.1f s of compute, %.3g h of audio per hour"
                    + " (decoding and resampling excluded)%n", compute, summary.audioSeconds() / compute);
        }
        return summary.failedCount();
    }

    /** A row's labels, and the samples they were computed from. */
    private record LabelledRow(int[][] labels, int samples) {}

    /** The labels of one manifest row at a time, appended to the label files in row order. */
    private static final class RowLabeller implements FileJobRunner.Job<LabelledRow> {
        private final LabelTeacher teacher;
        private final Manifest manifest;
        private final LabelSetWriter writer;
        private final int start;
        private final AudioPrefetch<InputFile, float[]> audio;
        private long computeNanos; // the teacher alone, without decoding

        RowLabeller(LabelTeacher teacher, Manifest manifest, LabelSetWriter writer, int start,
                    AudioPrefetch<InputFile, float[]> audio) {
            this.teacher = teacher;
            this.manifest = manifest;
            this.writer = writer;
            this.start = start;
            this.audio = audio;
        }

        @Override
        public LabelledRow work(int index, InputFile file, DoubleConsumer partway) {
            float[] mono = audio.next();
            long t0 = System.nanoTime();
            int[][] labels = teacher.labels(mono);
            computeNanos += System.nanoTime() - t0;
            checkLength(manifest, start + index, mono.length, labels);
            return new LabelledRow(labels, mono.length);
        }

        @Override
        public double keep(int index, InputFile file, LabelledRow row) throws IOException {
            writer.write(row.labels()); // a write that fails stops the run: the rows must stay aligned
            return row.samples() / (double) manifest.sampleRate();
        }

        @Override
        public void failed(int index, InputFile file, String reason) throws IOException {
            writer.writeFailed(reason);
        }

        @Override
        public String progressName(int index, InputFile file) {
            return file.relative().toString();
        }

        @Override
        public String failureName(int index, InputFile file) {
            return "row " + (start + index + 1) + " " + file.display();
        }
    }

    /** Labels must fit the row's length in the manifest: a file changed since the manifest would misalign. */
    private static void checkLength(Manifest manifest, int row, int samples, int[][] labels) {
        long expected = LabelSetInfo.encoderFrames(manifest.get(row).numSamples());
        int got = labels.length == 0 ? 0 : labels[0].length;
        if (Math.abs(got - expected) > LabelSetInfo.FRAME_TOLERANCE) {
            throw new IllegalStateException("decoded " + samples + " samples but the manifest says "
                    + manifest.get(row).numSamples() + " (" + got + " frames instead of " + expected
                    + "): the file changed since the manifest was made");
        }
    }

    private static int countFailed(Path streamFile) throws IOException {
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(streamFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(LabelFile.FAILED)) {
                    n++;
                }
            }
        }
        return n;
    }
}
