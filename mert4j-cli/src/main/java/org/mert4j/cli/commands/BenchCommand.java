package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.cli.bench.Flops;
import org.mert4j.cli.bench.Memory;
import org.mert4j.cli.bench.Stats;
import org.mert4j.cli.bench.Table;
import org.mert4j.cli.console.Summary;
import org.mert4j.cli.options.DeviceOptions;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.WindowConverter;
import org.mert4j.audio.Resampler;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.dsp.KaldiMfcc;
import org.mert4j.dsp.KaldiMfccConfig;
import org.mert4j.io.AtomicFiles;
import org.mert4j.io.FileTrees;
import org.mert4j.model.AudioWindows;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.model.WindowPlan;
import org.mert4j.nn.cpu.OneDnnLinear;
import org.mert4j.pretrain.GradientSync;
import org.mert4j.pretrain.Objective;
import org.mert4j.pretrain.PretrainConfig;
import org.mert4j.pretrain.StepMetrics;
import org.mert4j.pretrain.ToneBatches;
import org.mert4j.pretrain.Trainer;
import org.mert4j.teacher.encodec.EncodecConfig;
import org.mert4j.teacher.encodec.EncodecModel;
import org.mert4j.tensor.CpuThreads;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert bench}: reproducible timings of embedding, training and teacher features, with memory. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Times mert4j on a fixed workload and prints a table (or JSON): median, min and max of --repeat runs"
                + " after --warmup runs, throughput in audio seconds per second, the GFLOP/s achieved, and memory"
                + " (peak resident set from /proc/self/status, Java heap peak, native = the rest).",
            "",
            "Suites: embed (the model on a --clip of audio cut into --window windows, --batch windows at a time),"
                + " train (one pretraining update of --train-preset on synthetic batches, layerdrop off), features (CQT and Kaldi"
                + " MFCC teacher features of the clip), encodec (EnCodec 24 kHz codes of the clip, MERT-v1's acoustic"
                + " teacher, random weights of facebook/encodec_24khz's shape), decode (decoding and resampling --audio whole, for memory),"
                + " embed-file (pooled features of --audio streamed as `mert embed` does it: decoding on a background"
                + " thread, memory flat in the file's length; runs once unless --warmup or --repeat is given).",
            "",
            "Peak RSS is the whole process's: time embed-file on its own to read its memory.",
            "",
            "The audio is a deterministic mix of tones and noise unless --audio names a file. Random weights"
                + " (preset:NAME) time the same as a checkpoint of that shape. tools/bench-compare runs this"
                + " side by side with the PyTorch reference."},
        footer = {
            "",
            "Examples:",
            "  mert bench --model preset:v1-95m --clip 30",
            "  mert bench --model preset:v1-95m --clip 30 --batch 6 --threads 2",
            "  mert bench --model MERT-v1-95M --int8 --suite embed",
            "  mert bench --suite train --train-preset 95m --train-batch 1 --repeat 3",
            "  mert bench --suite encodec --clip 30 --repeat 3",
            "  mert bench --suite decode --audio one-hour.flac",
            "  mert bench --suite embed-file --audio one-hour.flac --model preset:v1-95m",
            "  mert bench --model preset:tiny --clip 10 --json bench.json",
            "",
            "Exit status: 0 done, 2 usage or model error."})
public final class BenchCommand implements Callable<Integer> {
    private static final Set<String> SUITES = Set.of("embed", "train", "features", "encodec", "decode",
            "embed-file");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-m", "--model"}, defaultValue = "preset:v1-95m", paramLabel = "DIR",
            description = "Model folder or preset:NAME (v0, v1-95m, v1-330m, tiny). Default: ${DEFAULT-VALUE}.")
    private String model;

    @Option(names = "--suite", defaultValue = "embed,features", split = ",", paramLabel = "LIST",
            description = "What to time: embed, train, features, decode, embed-file (comma-separated)."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<String> suites;

    @Option(names = "--clip", defaultValue = "30", paramLabel = "SECONDS",
            description = "Length of the synthetic clip. Default: ${DEFAULT-VALUE}.")
    private double clip;

    @Option(names = "--audio", paramLabel = "FILE",
            description = "Time this audio file (decoded once, then resampled to the model rate) instead of the synthetic"
                    + " clip; the file of the decode and embed-file suites.")
    private Path audio;

    @Option(names = "--window", defaultValue = "5", paramLabel = "SECONDS|none", converter = WindowConverter.class,
            description = "Window length, or none for the whole clip in one call. Default: ${DEFAULT-VALUE}.")
    private double window;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Equal-length windows run together. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--int8", description = "Also time the model with int8 dynamically quantised Linear layers,"
            + " and report the cosine similarity of its pooled embeddings to fp32.")
    private boolean int8;

    @Mixin
    private DeviceOptions runsOn;

    @Option(names = "--blas-threads", paramLabel = "N", description = "OpenBLAS threads, overriding mert4j's policy"
            + " (1 for inference, --threads for training; see CpuThreads). For before/after comparisons.")
    private Integer blasThreads;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N", description = "Untimed runs first. Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--repeat", defaultValue = "5", paramLabel = "N", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
    private int repeat;

    @Option(names = "--train-preset", defaultValue = "tiny", paramLabel = "tiny|small|95m|330m",
            description = "Pretraining preset of the train suite. Default: ${DEFAULT-VALUE}.")
    private String trainPreset;

    @Option(names = "--train-batch", paramLabel = "N",
            description = "Clips per training step. Default: the preset's data.max_tokens / crop length.")
    private Integer trainBatch;

    @Option(names = "--train-seconds", paramLabel = "SECONDS",
            description = "Clip length of a training step. Default: the preset's data.crop_seconds.")
    private Double trainSeconds;

    @Option(names = "--codebooks", defaultValue = "8", paramLabel = "K",
            description = "Label streams of the synthetic training batches (MERT-v1: 8). Default: ${DEFAULT-VALUE}.")
    private int codebooks;

    @Option(names = "--classes", defaultValue = "1024", paramLabel = "C",
            description = "Classes per label stream (EnCodec: 1024). Default: ${DEFAULT-VALUE}.")
    private int classes;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the results as JSON to FILE, or to standard output instead of the table with -.")
    private String json;

    @Option(names = "--save-model", paramLabel = "DIR",
            description = "Write the benchmarked models as Hugging Face folders (DIR/embed, DIR/train), so that the"
                    + " reference scripts run the same weights and shapes.")
    private Path saveModel;

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Table table;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Set<String> chosen = new LinkedHashSet<>();
        for (String s : suites) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (!SUITES.contains(v)) {
                throw new UsageException("--suite " + s + ": expected embed, train, features, encodec, decode or embed-file");
            }
            chosen.add(v);
        }
        if (batch < 1 || repeat < 1 || warmup < 0 || codebooks < 1 || classes < 2) {
            throw new UsageException("--batch and --repeat must be at least 1, --warmup at least 0, --codebooks"
                    + " at least 1 and --classes at least 2");
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new UsageException("--clip " + clip + ": must be a positive number of seconds");
        }
        int nThreads = runsOn.threads(); // a usage error before any work
        if (audio != null && !Files.isRegularFile(audio)) {
            throw new UsageException("--audio " + audio + ": no such file");
        }
        if (chosen.contains("decode") && audio == null) {
            throw new UsageException("--suite decode needs --audio FILE");
        }
        if (chosen.contains("embed-file") && audio == null) {
            throw new UsageException("--suite embed-file needs --audio FILE");
        }
        if (chosen.contains("embed-file") && !(window > 0)) {
            throw new UsageException("--suite embed-file streams windows: give a finite --window, not none");
        }
        runsOn.applyThreads();

        ObjectNode root = mapper.createObjectNode();
        root.put("impl", "mert4j");
        root.put("model", model);
        root.put("device", runsOn.device());
        root.put("threads", nThreads);
        root.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        root.put("blas", CpuThreads.blasLibrary());
        root.put("processors", Runtime.getRuntime().availableProcessors());
        root.put("warmup", warmup);
        root.put("repeat", repeat);
        ArrayNode results = root.putArray("results");
        table = new Table("benchmark", "median s", "min s", "max s", "audio s/s", "GFLOP/s", "notes");

        ModelSource source = ModelSource.parse(model, err);
        boolean needModel = chosen.contains("embed") || chosen.contains("decode") || chosen.contains("embed-file");
        try (MertModel mert = needModel ? source.open(runsOn.device(), err) : null) {
            if (blasThreads != null) {
                CpuThreads.setBlasThreads(blasThreads);
            }
            root.put("blas_threads", CpuThreads.blasThreads());
            root.put("onednn_linear", ModelSource.cpuOptions(false).oneDnn() && OneDnnLinear.available());
            int sr = mert != null ? mert.sampleRate() : 24_000;
            float[] samples = null;
            if (chosen.contains("embed-file")) {
                results.add(benchEmbedFile(mert)); // first, before any suite holds a whole clip in memory
            }
            if (chosen.contains("decode")) {
                results.add(benchDecode(mert));
            }
            if (chosen.contains("embed") || chosen.contains("features") || chosen.contains("encodec")) {
                samples = audio != null ? (mert != null ? mert.loadAudio(audio) : decodeAt(sr)) : syntheticClip(sr);
            }
            if (chosen.contains("embed")) {
                if (saveModel != null) {
                    mert.save(saveModel.resolve("embed"));
                }
                for (ObjectNode r : benchEmbed(mert, samples, err)) {
                    results.add(r);
                }
            }
            if (chosen.contains("features")) {
                for (ObjectNode r : benchFeatures(samples, sr)) {
                    results.add(r);
                }
            }
            if (chosen.contains("encodec")) {
                results.add(benchEncodec(samples, sr));
            }
        }
        if (chosen.contains("train")) {
            results.add(benchTrain(err, nThreads));
        }
        ObjectNode mem = root.putObject("memory");
        mem.put("peak_rss_mb", mb(Memory.peakRssBytes()));
        mem.put("peak_heap_mb", mb(Memory.peakHeapBytes()));
        mem.put("committed_heap_mb", mb(Memory.committedHeapBytes()));
        mem.put("native_estimate_mb", Memory.peakRssBytes() < 0 ? -1
                : mb(Memory.peakRssBytes() - Memory.committedHeapBytes()));

        if ("-".equals(json)) {
            out.println(mapper.writeValueAsString(root));
            out.flush();
        } else {
            table.print(out);
            out.printf(Locale.ROOT, "peak RSS %.0f MB (Java heap peak %.0f MB, native about %.0f MB); %d threads,"
                            + " OMP_WAIT_POLICY=%s, BLAS %s%n", mem.get("peak_rss_mb").asDouble(),
                    mem.get("peak_heap_mb").asDouble(), mem.get("native_estimate_mb").asDouble(), nThreads,
                    System.getenv("OMP_WAIT_POLICY"), CpuThreads.blasLibrary());
            out.flush();
            if (json != null) {
                byte[] bytes = mapper.writeValueAsBytes(root);
                AtomicFiles.write(Path.of(json), o -> o.write(bytes));
            }
        }
        return ExitCode.OK;
    }

    private List<ObjectNode> benchEmbed(MertModel mert, float[] samples, PrintWriter err) {
        int sr = mert.sampleRate();
        MertConfig c = mert.config();
        EmbedOptions options = new EmbedOptions(window, EmbedOptions.Pool.MEAN, null, batch);
        double seconds = samples.length / (double) sr;
        double flops = 0;
        int windows = 0;
        for (WindowPlan.Window w : WindowPlan.split(samples.length, sr, window)) {
            if (c.framesFor(w.length()) > 0) {
                flops += Flops.encoderForward(c, w.length(), 1);
                windows++;
            }
        }
        List<ObjectNode> rows = new ArrayList<>();
        String name = "embed " + WindowConverter.describe(window) + " s x" + windows + " batch " + batch;
        FloatArray[] fp32 = new FloatArray[1];
        Stats s = time(() -> {
            fp32[0] = mert.embed(samples, sr, options);
            return 0;
        });
        ObjectNode r = row(name, s, seconds, flops, windows + " windows of " + WindowConverter.describe(window) + " s");
        r.put("kind", "embed");
        r.put("clip_s", seconds);
        r.put("window_s", window);
        r.put("windows", windows);
        r.put("batch", batch);
        r.put("latency_per_window_s", s.median() / windows);
        rows.add(r);
        if (int8) {
            mert.quantizeDynamicInt8();
            FloatArray[] q = new FloatArray[1];
            Stats si = time(() -> {
                q[0] = mert.embed(samples, sr, options);
                return 0;
            });
            double[] cos = layerCosines(fp32[0], q[0]);
            ObjectNode ri = row(name + " int8", si, seconds, flops, String.format(Locale.ROOT,
                    "x%.2f fp32, cosine min %.4f", s.median() / si.median(), cos[0]));
            ri.put("kind", "embed_int8");
            ri.put("speedup_vs_fp32", s.median() / si.median());
            ri.put("cosine_min", cos[0]);
            ri.put("cosine_mean", cos[1]);
            ri.put("latency_per_window_s", si.median() / windows);
            rows.add(ri);
        }
        return rows;
    }

    /**
     * Pooled features of the --audio file, streamed as {@code mert embed} does it. Runs once unless
     * --warmup or --repeat was given: one run of a long file is long.
     */
    private ObjectNode benchEmbedFile(MertModel mert) {
        var parsed = spec.commandLine().getParseResult();
        int runs = parsed.hasMatchedOption("--repeat") ? repeat : 1;
        int warm = parsed.hasMatchedOption("--warmup") ? warmup : 0;
        EmbedOptions options = new EmbedOptions(window, EmbedOptions.Pool.MEAN, null, batch);
        long[] total = new long[1];
        DoubleSupplier work = () -> {
            try (AudioWindows windows = mert.openWindows(audio, options)) {
                mert.embed(windows, options, null);
                total[0] = windows.totalSamples();
            }
            return 0;
        };
        for (int i = 0; i < warm; i++) {
            work.getAsDouble();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.getAsDouble();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Stats s = Stats.of(t);
        int sr = mert.sampleRate();
        double seconds = total[0] / (double) sr;
        double flops = 0;
        int windows = 0;
        for (WindowPlan.Window w : WindowPlan.split(total[0], sr, window)) {
            if (mert.config().framesFor(w.length()) > 0) {
                flops += Flops.encoderForward(mert.config(), w.length(), 1);
                windows++;
            }
        }
        double peak = mb(Memory.peakRssBytes());
        ObjectNode r = row("embed file " + audio.getFileName() + " (streamed)", s, seconds, flops,
                String.format(Locale.ROOT, "%s of audio, %d windows, peak RSS %.0f MB", Summary.clock(seconds), windows,
                        peak));
        r.put("kind", "embed_file");
        r.put("file", audio.toString());
        r.put("window_s", window);
        r.put("windows", windows);
        r.put("batch", batch);
        r.put("peak_rss_mb_after", peak);
        return r;
    }

    /** Per hidden state, the cosine similarity of two pooled embeddings [L+1, H]: {min, mean}. */
    static double[] layerCosines(FloatArray a, FloatArray b) {
        int layers = (int) a.shape()[0];
        int h = (int) a.shape()[1];
        FloatBuffer va = a.values();
        FloatBuffer vb = b.values();
        double min = 1;
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < h; i++) {
                double x = va.get(l * h + i);
                double y = vb.get(l * h + i);
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            double cos = dot / Math.sqrt(na * nb);
            min = Math.min(min, cos);
            sum += cos;
        }
        return new double[] {min, sum / layers};
    }

    private List<ObjectNode> benchFeatures(float[] samples, int sr) {
        double seconds = samples.length / (double) sr;
        List<ObjectNode> rows = new ArrayList<>();
        Cqt cqt = new Cqt(CqtConfig.mert().withSampleRate(sr));
        Stats sc = time(() -> {
            try (PointerScope scope = new PointerScope()) {
                return cqt.forward(Tensors.fromFloats(samples, 1, samples.length)).size(1);
            }
        });
        ObjectNode rc = row("CQT (MERT teacher)", sc, seconds, 0, CqtConfig.mert().nBins() + " bins");
        rc.put("kind", "cqt");
        rows.add(rc);
        // HuBERT's MFCC teacher runs at 16 kHz; timed on the clip as given
        KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccConfig.of(sr));
        Stats sm = time(() -> {
            try (PointerScope scope = new PointerScope()) {
                return mfcc.forwardWithDeltas(Tensors.fromFloats(samples, 1, samples.length)).size(1);
            }
        });
        ObjectNode rm = row("MFCC + deltas (HuBERT teacher)", sm, seconds, 0, "at " + sr + " Hz");
        rm.put("kind", "mfcc");
        rows.add(rm);
        return rows;
    }

    /** EnCodec's codes of the clip, resampled to its 24 kHz: how fast MERT-v1's teacher labels audio. */
    private ObjectNode benchEncodec(float[] samples, int sr) {
        try (EncodecModel encodec = EncodecModel.random(EncodecConfig.encodec24khz(), 0, runsOn.device())) {
            float[] at24k = Resampler.resample(samples, sr, encodec.sampleRate());
            double seconds = at24k.length / (double) encodec.sampleRate();
            int[] books = new int[1];
            Stats s = time(() -> {
                books[0] = encodec.codes(at24k).length;
                return 0;
            });
            ObjectNode r = row("EnCodec 24 kHz codes (MERT-v1 teacher)", s, seconds, 0, books[0] + " codebooks;"
                    + String.format(Locale.ROOT, " audio h/h %.1f", seconds / s.median()));
            r.put("kind", "encodec");
            r.put("codebooks", books[0]);
            return r;
        }
    }

    private ObjectNode benchDecode(MertModel mert) {
        long[] n = new long[1];
        Stats s = time(() -> {
            n[0] = mert.loadAudio(audio).length;
            return 0;
        });
        double seconds = n[0] / (double) mert.sampleRate();
        ObjectNode r = row("decode + resample " + audio.getFileName(), s, seconds, 0,
                String.format(Locale.ROOT, "%.0f MB of samples", n[0] * 4 / 1e6));
        r.put("kind", "decode");
        r.put("peak_rss_mb_after", mb(Memory.peakRssBytes()));
        return r;
    }

    private ObjectNode benchTrain(PrintWriter err, int nThreads) throws IOException {
        // layerdrop off: it skips a random layer in about half the 95M steps (a quarter second each), so a
        // few timed steps would measure luck; the saved config carries it, so the reference matches
        PretrainConfig config = PretrainConfig.load(trainPreset, null,
                List.of("run.device=" + runsOn.device(), "run.threads=" + torch.get_num_threads(), "encoder.layerdrop=0"));
        MertConfig enc = config.encoderConfig();
        int sr = enc.sampleRate();
        double clipSeconds = trainSeconds != null ? trainSeconds : config.data().cropSeconds();
        int samples = (int) Math.round(clipSeconds * sr);
        int b = trainBatch != null ? trainBatch : Math.max(1, config.data().maxTokens() / samples);
        Objective o = config.objective();
        Path runDir = Files.createTempDirectory("mert-bench-train");
        if (saveModel != null) {
            try (MertModel m = MertModel.random(enc, 0, "cpu")) {
                m.save(saveModel.resolve("train"));
            }
        }
        // after the save: creating a CPU MertModel switches BLAS to its inference setting (one thread)
        CpuThreads.forTraining(nThreads);
        if (blasThreads != null) {
            CpuThreads.setBlasThreads(blasThreads);
        }
        // built in advance, so that making batches is not timed (the step time does not depend on their values)
        ToneBatches.Settings tones = ToneBatches.Settings.of(b, samples, Math.min(8, classes), 1)
                .withLabels(codebooks, classes).withCqtBins(o.cqt().bins())
                .withMasking(o.masking().spans());
        try (ToneBatches source = ToneBatches.prebuilt(enc, tones, 2);
             Trainer trainer = new Trainer(config, runDir, source, null, GradientSync.SINGLE, null)) {
            double[] audioPerSecond = new double[1];
            Stats s = time(() -> {
                StepMetrics m = trainer.trainStep();
                audioPerSecond[0] = m.audioHoursPerHour();
                return m.loss();
            });
            double seconds = (double) b * samples / sr;
            double flops = 3 * Flops.encoderForward(enc, samples, b); // forward + backward ~ 3 forwards
            ObjectNode r = row("train step " + trainPreset + " " + b + " x " + WindowConverter.describe(clipSeconds)
                    + " s", s, seconds, flops, codebooks + " x " + classes + " classes; audio h/h "
                    + String.format(Locale.ROOT, "%.1f", seconds / s.median()));
            r.put("kind", "train");
            r.put("preset", trainPreset);
            r.put("batch", b);
            r.put("clip_s", clipSeconds);
            r.put("audio_hours_per_hour", seconds / s.median());
            r.put("loader_wait_s", source.waitSeconds());
            r.put("blas_threads", CpuThreads.blasThreads());
            return r;
        } finally {
            FileTrees.delete(runDir);
        }
    }

    /** Runs {@code work} warmup + repeat times; the wall-clock seconds of each timed run. */
    private Stats time(DoubleSupplier work) {
        for (int i = 0; i < warmup; i++) {
            work.getAsDouble();
        }
        double[] t = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            work.getAsDouble();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        return Stats.of(t);
    }

    private ObjectNode row(String name, Stats s, double audioSeconds, double flops, String notes) {
        ObjectNode r = mapper.createObjectNode();
        r.put("name", name);
        r.put("median_s", s.median());
        r.put("min_s", s.min());
        r.put("max_s", s.max());
        r.put("spread", s.spread());
        ArrayNode all = r.putArray("all_s");
        for (double v : s.all()) {
            all.add(v);
        }
        r.put("audio_s", audioSeconds);
        r.put("audio_s_per_s", audioSeconds / s.median());
        if (flops > 0) {
            r.put("gflop", flops / 1e9);
            r.put("gflop_per_s", flops / 1e9 / s.median());
        }
        table.add(name, f3(s.median()), f3(s.min()), f3(s.max()), String.format(Locale.ROOT, "%.2f",
                audioSeconds / s.median()), flops > 0 ? String.format(Locale.ROOT, "%.1f", flops / 1e9 / s.median())
                : "-", notes);
        return r;
    }

    private float[] syntheticClip(int sr) {
        int n = (int) Math.round(clip * sr);
        float[] x = new float[n];
        SplittableRandom rng = new SplittableRandom(7);
        double f = 220;
        for (int i = 0; i < n; i++) {
            if (i % (sr / 2) == 0) {
                f = 110 * Math.pow(2, rng.nextInt(36) / 12.0);
            }
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * f * i / sr) + 0.05 * rng.nextGaussian());
        }
        return x;
    }

    private float[] decodeAt(int sr) {
        org.mert4j.audio.Waveform w = org.mert4j.audio.AudioDecoder.decode(audio);
        return org.mert4j.audio.Resampler.resample(w.mono(), w.sampleRate(), sr);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double mb(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1e5) / 10.0;
    }

}
