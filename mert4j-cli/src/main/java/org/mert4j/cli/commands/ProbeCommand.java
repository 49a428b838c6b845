package org.mert4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.mert4j.cli.charts.LineChart;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.UsageException;
import org.mert4j.io.AtomicFiles;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.model.ModelFingerprint;
import org.mert4j.probe.FeatureExtractor;
import org.mert4j.probe.MertFeatures;
import org.mert4j.probe.ProbeResult;
import org.mert4j.probe.ProbeRunner;
import org.mert4j.probe.ProbeSettings;
import org.mert4j.probe.SignalFeatures;
import org.mert4j.probe.Task;
import org.mert4j.probe.TaskFormatException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert probe}: MARBLE-style probes of a model on a task, with MFCC and random-init baselines. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Trains probes on frozen features of a task (MARBLE protocol) and reports the test metric.",
            "Features are cached per model fingerprint, task and window under --cache and reused; results.json"
                + " and layers.png go to --out. Both default to folders beside the task file.",
            "Every report carries baselines: MFCC mean/std (78 dims) and, for a MERT model, a randomly",
            "initialised MERT of the same shape."},
        footer = {"", "Examples:", "  mert tasks make notes-pitch --out tasks/notes-pitch",
            "  mert probe --task tasks/notes-pitch/task.yaml --model examples/tiny-mert \\",
            "             --layers sweep",
            "  mert probe --task my-gtzan.yaml --model MERT-v1-95M --probe linear \\",
            "             --lr 1e-2,1e-3,1e-4",
            "  mert probe --tasks tasks/gtzan/task.yaml,tasks/mtat/task.yaml \\",
            "             --model m-a-p/MERT-v1-95M --layers sweep --out marble",
            "             # marble/marble.md: one row per model, a column per task",
            "", "Exit status: 0 ok, 1 a clip could not be read, 2 bad command line or task file."})
public final class ProbeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"--task", "--tasks"}, required = true, split = ",", paramLabel = "FILE",
            description = "Task file (YAML or JSON); repeat it or give a comma-separated list to probe several tasks"
                    + " and get one results table (marble.md, marble.csv) with a row per model and a column per task.")
    private List<Path> taskFiles;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face MERT folder, Hub model id (m-a-p/MERT-v1-95M), preset:NAME (random init),"
                    + " mfcc or cqt.")
    private String model;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|sweep|N",
            description = "all (softmax-weighted layers 1..L), sweep (each layer, then all) or one index (-1 ="
                    + " the last). Default: ${DEFAULT-VALUE}.")
    private String layers;

    @Option(names = "--probe", defaultValue = "mlp", paramLabel = "mlp|linear",
            description = "mlp (Linear-ReLU-Dropout-Linear) or linear. Default: ${DEFAULT-VALUE}.")
    private String probe;

    @Option(names = "--lr", split = ",", paramLabel = "LR", description = "Learning-rate grid. Default: 1e-2,1e-3.")
    private List<Double> lrs;

    @Option(names = "--epochs", defaultValue = "100", paramLabel = "N",
            description = "At most this many epochs (early stopping on the validation metric)."
                    + " Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the probe's initial weights and batch order (features are cached, so rerunning with"
                    + " other seeds is cheap and shows the spread). Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--no-baselines", description = "Skip the MFCC and random-init baselines.")
    private boolean noBaselines;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Feature cache. Default: probe-cache beside the task file (several tasks: beside their"
                    + " folder).")
    private Path cache;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where results.json, layers.png and the table marble.md/marble.csv go. Default:"
                    + " probe-results/MODEL beside the task file (MODEL: the model's folder name or Hub id,"
                    + " preset-NAME, mfcc or cqt); with several tasks, probe-results beside their folder, holding"
                    + " TASK/MODEL/ and one table that later runs of other models add rows to.")
    private Path out;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV",
            description = "cpu or cuda[:N] for feature extraction. Default: ${DEFAULT-VALUE}.")
    private String device;

    @Option(names = "--int8", description = "also probe the model with int8 inference (CPU dynamic quantisation),"
            + " to see what it costs on this task")
    private boolean int8;

    private ModelSource source;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        if (!probe.equals("mlp") && !probe.equals("linear")) {
            throw new UsageException("--probe must be mlp or linear, got '" + probe + "'");
        }
        List<Task> tasks = new ArrayList<>();
        for (Path f : taskFiles) {
            try {
                tasks.add(Task.load(f));
            } catch (TaskFormatException e) {
                throw new UsageException(e.getMessage());
            }
        }
        boolean several = tasks.size() > 1;
        // outputs belong with the tasks, not with whatever folder the command was started in
        Path firstDir = taskFiles.get(0).toAbsolutePath().getParent();
        if (cache == null) {
            cache = (several ? firstDir.getParent() : firstDir).resolve("probe-cache");
        }
        Path tableDir = out != null ? out : several ? firstDir.getParent().resolve("probe-results")
                : firstDir.resolve("probe-results").resolve(folderName(model, err));
        ProbeSettings settings = ProbeSettings.marble().withMaxEpochs(epochs).withHidden(probe.equals("mlp") ? 512 : 0)
                .withSeed(seed);
        if (lrs != null && !lrs.isEmpty()) {
            settings = settings.withLearningRates(lrs);
        }
        List<FeatureExtractor> extractors = extractors(err);
        try {
            MarbleTable table = MarbleTable.read(tableDir);
            String main = extractors.get(0).name();
            for (int t = 0; t < tasks.size(); t++) {
                Task task = tasks.get(t);
                Path taskOut = several ? tableDir.resolve(safe(task.name())).resolve(folderName(model, err)) : tableDir;
                List<ProbeResult> all = probeTask(task, extractors, settings, taskOut, err, o);
                for (FeatureExtractor f : extractors) {
                    String row = f.name().equals("random-init") ? "random-init (" + main + ")" : f.name();
                    table.put(row, task, all.stream().filter(r -> r.features().equals(f.name())).toList());
                }
            }
            table.write(tableDir);
            if (several) {
                o.println();
                o.print(table.markdown());
                o.println("wrote " + tableDir.resolve(MarbleTable.MARKDOWN) + " and " + tableDir.resolve(MarbleTable.CSV));
            }
        } finally {
            for (FeatureExtractor f : extractors) {
                f.close();
            }
        }
        return ExitCode.OK;
    }

    /** The model's features, then the int8 variant and the baselines asked for. */
    private List<FeatureExtractor> extractors(PrintWriter err) {
        List<FeatureExtractor> extractors = new ArrayList<>();
        extractors.add(open(model, err));
        if (int8) {
            if (!(extractors.get(0) instanceof MertFeatures m)) {
                throw new UsageException("--int8 needs a model folder or preset:NAME, not " + model);
            }
            ModelSource src = source(err);
            extractors.add(new MertFeatures(src.open(device, err, true), m.name() + "-int8",
                    fingerprint(src) + "-int8"));
        }
        if (!noBaselines) {
            if (extractors.get(0) instanceof MertFeatures m && !model.startsWith("preset:")) {
                MertModel random = MertModel.random(m.model().config(), 0, device, ModelSource.cpuOptions(false));
                extractors.add(new MertFeatures(random,
                        "random-init", "random-" + ModelFingerprint.of(source(err).dir())));
            }
            if (!model.equals("mfcc")) {
                extractors.add(new SignalFeatures(SignalFeatures.Kind.MFCC));
            }
        }
        return extractors;
    }

    /** Probes one task with every extractor; prints the results and writes results.json and layers.png to out. */
    private List<ProbeResult> probeTask(Task task, List<FeatureExtractor> extractors, ProbeSettings settings, Path out,
            PrintWriter err, PrintWriter o) throws java.io.IOException {
        List<ProbeResult> all = new ArrayList<>();
        Map<String, Double> extractSeconds = new LinkedHashMap<>();
        for (FeatureExtractor f : extractors) {
            ProgressBar bar = new ProgressBar(err, task.examples().size(), ProgressBar.interactive());
            long t0 = System.nanoTime();
            String spec = f == extractors.get(0) ? layers : "all";
            try {
                all.addAll(ProbeRunner.run(task, f, cache, spec, settings,
                        n -> bar.update(n, 0, task.name() + " " + f.name(), n == task.examples().size())));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            } finally {
                bar.clear();
            }
            extractSeconds.put(f.name(), (System.nanoTime() - t0) / 1e9);
        }
        o.printf(Locale.ROOT, "task %s (%s, %d clips, metric %s)%n", task.name(), task.type().id(),
                task.examples().size(), task.metric());
        o.printf(Locale.ROOT, "%-16s %-7s %-7s %8s %8s %8s %7s%n", "features", "layers", "probe", "lr", "valid",
                "test", "epochs");
        for (ProbeResult r : all) {
            o.printf(Locale.ROOT, "%-16s %-7s %-7s %8.0e %8.4f %8.4f %7d%n", r.features(), r.layers(), r.probe(),
                    r.learningRate(), r.valid(), r.test(), r.epochs());
        }
        java.nio.file.Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", task.name());
        json.put("type", task.type().id());
        json.put("metric", task.metric());
        json.put("clips", task.examples().size());
        json.put("model", model);
        json.put("seconds", extractSeconds);
        json.put("results", all);
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(out.resolve("results.json"), s -> s.write(bytes));
        plot(task, all, extractors.get(0).name(), out);
        o.println("wrote " + out.resolve("results.json") + " and " + out.resolve("layers.png"));
        return all;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** A folder name for the model's results: the model folder's name, preset-NAME, mfcc or cqt. */
    private String folderName(String model, PrintWriter err) {
        if (model.equals("mfcc") || model.equals("cqt")) {
            return model;
        }
        return source(err).folderName();
    }

    /** The model, parsed once: a Hub id is resolved (and downloaded) only the first time. */
    private ModelSource source(PrintWriter err) {
        if (source == null) {
            source = ModelSource.parse(model, err);
        }
        return source;
    }

    private FeatureExtractor open(String text, PrintWriter err) {
        if (text.equals("mfcc")) {
            return new SignalFeatures(SignalFeatures.Kind.MFCC);
        }
        if (text.equals("cqt")) {
            return new SignalFeatures(SignalFeatures.Kind.CQT);
        }
        ModelSource src = source(err);
        return new MertFeatures(src.open(device, err), src.displayName(), fingerprint(src));
    }

    /** What the feature cache keys a model's features by: the fingerprint of every output record. */
    private static String fingerprint(ModelSource src) {
        return src.fingerprint();
    }

    /** Metric per layer for the model, baselines as flat lines: the paper's layer plot. */
    private void plot(Task task, List<ProbeResult> all, String main, Path out) throws java.io.IOException {
        List<ProbeResult> perLayer = all.stream().filter(r -> r.features().equals(main) && !r.layers().equals("all"))
                .toList();
        if (perLayer.isEmpty()) {
            // the weighted sum alone (--layers all) has no layer axis to draw along
            spec.commandLine().getErr().println("mert probe: no layers.png for " + task.name() + ": it plots one"
                    + " result per layer (--layers sweep or a list); results.json has the weighted sum");
            return;
        }
        LineChart chart = new LineChart(task.name() + ": test " + task.metric() + " per layer", "hidden state", false)
                .integerX().yLabel("test " + task.metric());
        double[] layers = perLayer.stream().mapToDouble(r -> Double.parseDouble(r.layers())).toArray();
        double minLayer = java.util.Arrays.stream(layers).min().orElse(0);
        double maxLayer = Math.max(minLayer + 1, java.util.Arrays.stream(layers).max().orElse(1));
        chart.line(main, layers, perLayer.stream().mapToDouble(ProbeResult::test).toArray());
        for (ProbeResult r : all) {
            if (r.layers().equals("all")) {
                String label = r.features() + (r.features().equals(main) ? " (weighted)" : "");
                chart.line(label, new double[] {minLayer, maxLayer}, new double[] {r.test(), r.test()});
            }
        }
        LineChart.writePng(out.resolve("layers.png"), List.of(chart), 1);
    }
}
