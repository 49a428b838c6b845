package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.jobs.OutputLock;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.io.AtomicFiles;
import org.mert4j.pretrain.GradientSync;
import org.mert4j.pretrain.ManifestBatchSource;
import org.mert4j.pretrain.PretrainConfig;
import org.mert4j.pretrain.ProcessGroupSync;
import org.mert4j.pretrain.StepMetrics;
import org.mert4j.pretrain.Trainer;
import org.mert4j.teacher.LabelSet;
import org.mert4j.teacher.Manifest;

import org.mert4j.tensor.CpuThreads;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert pretrain}: trains a MERT model on a manifest and its teacher labels. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Pretrains a MERT encoder by masked prediction of teacher labels plus CQT reconstruction.",
            "",
            "Settings come from a preset (tiny, small, 95m, 330m), then --config FILE (YAML or JSON with sections"
                + " encoder, data, objective, optim, run), then the options below and --set section.key=value.",
            "The run folder gets config.json (the resolved settings), metrics.jsonl, checkpoints/step-N/"
                + " (written atomically; the last --keep-last kept) and, at the end, hf/ (a Hugging Face model"
                + " folder that `mert embed` reads).",
            "A killed run continues with --resume from its newest complete checkpoint, on the same trajectory"
                + " (a damaged newer one is skipped, with a message).",
            "",
            "--max-steps also ends the learning-rate schedule there (optim.total_steps follows it, and"
                + " optim.warmup_steps is at most a tenth of it) unless --config or --set gives them. The resolved"
                + " schedule and settings are printed at the start. Rows without labels (#FAILED in the label"
                + " folder) are reported and left out; above --max-unlabelled percent of the rows the run stops"
                + " before training.",
            "",
            "Several processes: --nproc N starts N ranks on this machine (Gloo on CPU, NCCL on CUDA). On a"
                + " cluster, start one process per rank with RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and"
                + " MASTER_PORT set, as torchrun does; each rank reads its own share of the data."},
        footer = {
            "",
            "Examples:",
            "  mert pretrain --preset tiny --manifest train.tsv --labels labels/ \\",
            "                --out runs/tiny --max-steps 300",
            "  mert pretrain --out runs/tiny --resume --max-steps 600",
            "  mert pretrain --config run.yaml --set optim.lr=1e-4 --nproc 2 --out runs/a",
            "  mert plot runs/tiny",
            "",
            "Exit status: 0 done, 1 training failed (e.g. diverged), 2 bad settings or inputs."})
public final class PretrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "tiny (default), small (CPU pretraining, docs/pretraining.md), 95m or 330m.")
    private String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON settings over the preset.")
    private Path configFile;

    @Option(names = "--manifest", paramLabel = "TSV", description = "Training manifest (from `mert manifest`).")
    private Path manifest;

    @Option(names = "--labels", paramLabel = "DIR", description = "Label folder for the manifest (from `mert labels`).")
    private Path labels;

    @Option(names = "--valid-manifest", paramLabel = "TSV", description = "Held-out manifest for validation.")
    private Path validManifest;

    @Option(names = "--valid-labels", paramLabel = "DIR", description = "Label folder of the held-out manifest.")
    private Path validLabels;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "RUN_DIR", description = "Run folder.")
    private Path out;

    @Option(names = "--max-steps", paramLabel = "N",
            description = "Train until update N (run.max_steps); the schedule ends there too unless"
                    + " optim.total_steps is set.")
    private Integer maxSteps;

    @Option(names = "--save-every", paramLabel = "N", description = "Checkpoint every N updates (run.save_every).")
    private Integer saveEvery;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu or cuda (run.device).")
    private String device;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch threads per process (default: cores / nproc).")
    private Integer threads;

    @Option(names = "--nproc", paramLabel = "N", defaultValue = "1", description = "Ranks to start on this machine (default ${DEFAULT-VALUE}).")
    private int nproc;

    @Option(names = "--resume", description = "Continue from the run folder's last checkpoint and settings.")
    private boolean resume;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "Override one setting; repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long ranks wait for each other before failing (default ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--max-unlabelled", paramLabel = "PERCENT", defaultValue = "10",
            description = "Stop before training if more than this share of a manifest's rows have no labels"
                    + " (#FAILED lines in the label folder). Default: ${DEFAULT-VALUE}%%.")
    private double maxUnlabelled;

    @Mixin
    private VerboseOption verbose;

    /** Why optim.total_steps is what it is, for the summary at the start; null when nothing was derived. */
    private String scheduleNote;

    @Override
    public Integer call() throws Exception {
        PretrainConfig config = resolveConfig();
        ProcessGroupSync.Env env = ProcessGroupSync.Env.fromEnvironment(System.getenv());
        boolean launcher = nproc > 1 && System.getenv("RANK") == null;
        int rank = env == null ? 0 : env.rank();
        // inputs are checked once, before any rank starts: one clear error, exit 2
        boolean checkedByLauncher = System.getenv(LocalLauncher.LAUNCHED) != null;
        PretrainPreflight.check(config, maxUnlabelled,
                launcher || (rank == 0 && !checkedByLauncher) ? spec.commandLine().getErr() : null);
        if (launcher) {
            List<String> args = spec.root().commandLine().getParseResult().originalArgs();
            // the ranks run the same program: the class whose command line this is
            Class<?> program = spec.root().userObject().getClass();
            return new LocalLauncher(program, spec.commandLine().getErr()).launch(nproc, args);
        }
        int world = env == null ? 1 : env.worldSize();
        int cores = Runtime.getRuntime().availableProcessors();
        int threadCount = threads != null ? threads
                : config.run().threads() > 0 ? config.run().threads() : Math.max(1, cores / world);
        CpuThreads.forTraining(threadCount);
        // rank 0 writes the run folder: it alone holds the lock that keeps a second run out of it
        try (OutputLock lock = rank == 0 ? OutputLock.acquire(out, "mert pretrain", spec.commandLine().getErr())
                : null) {
            if (rank == 0) {
                if (!resume && Files.isDirectory(out.resolve("checkpoints")) && hasCheckpoints(out)) {
                    throw new UsageException(out + " already holds checkpoints: pass --resume to continue it, or"
                            + " choose another --out");
                }
                for (String line : PretrainPreflight.summary(config, world, threadCount, out, scheduleNote)) {
                    info(rank, line);
                }
                Files.createDirectories(out);
                AtomicFiles.write(out.resolve("config.json"),
                        o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, config.toJson()));
            }
            return train(config, env, rank, world);
        }
    }

    private int train(PretrainConfig config, ProcessGroupSync.Env env, int rank, int world) throws Exception {
        try (GradientSync sync = env == null ? GradientSync.SINGLE
                : new ProcessGroupSync(env, config.run().device().startsWith("cuda"), timeoutSeconds * 1000);
             ManifestBatchSource train = source(config, config.data().manifest(), config.data().labels(), rank, world);
             ManifestBatchSource valid = config.data().validManifest() == null ? null
                     : source(config, config.data().validManifest(), config.data().validLabels(), 0, 1);
             Trainer trainer = new Trainer(config, out, train, valid, sync, rank == 0 ? new ConsoleListener(
                     spec.commandLine().getErr(), ProgressBar.interactive(), config.run().logEvery()) : null)) {
            if (resume) {
                trainer.resume().ifPresentOrElse(
                        s -> info(rank, "resuming from step " + s + " (" + out.resolve("checkpoints")
                                .resolve(String.format("step-%08d", s)) + ")"),
                        () -> info(rank, "no complete checkpoint in " + out + ": starting from scratch"));
            }
            trainer.train();
            if (rank == 0) {
                trainer.export(out.resolve("hf"));
                info(rank, "exported the encoder to " + out.resolve("hf") + " (mert embed --model " + out.resolve("hf")
                        + ")");
                if (!train.badRows().isEmpty()) {
                    info(rank, train.badRows().size() + " file(s) could not be decoded and were skipped");
                }
            }
        }
        return ExitCode.OK;
    }

    private ManifestBatchSource source(PretrainConfig c, String manifestPath, String labelDir, int rank, int world) {
        if (manifestPath == null || labelDir == null) {
            throw new UsageException("need a manifest and its labels: --manifest and --labels (or data.manifest and"
                    + " data.labels in --config)");
        }
        Manifest m = Manifest.read(Path.of(manifestPath));
        return new ManifestBatchSource(m, LabelSet.open(Path.of(labelDir), m), c, rank, world);
    }

    private PretrainConfig resolveConfig() throws IOException {
        List<String> all = new ArrayList<>();
        if (manifest != null) {
            all.add("data.manifest=" + manifest.toAbsolutePath());
        }
        if (labels != null) {
            all.add("data.labels=" + labels.toAbsolutePath());
        }
        if (validManifest != null) {
            all.add("data.valid_manifest=" + validManifest.toAbsolutePath());
        }
        if (validLabels != null) {
            all.add("data.valid_labels=" + validLabels.toAbsolutePath());
        }
        if (maxSteps != null) {
            all.add("run.max_steps=" + maxSteps);
        }
        if (saveEvery != null) {
            all.add("run.save_every=" + saveEvery);
        }
        if (device != null) {
            all.add("run.device=" + device);
        }
        boolean explicitTotal = sets(configFile, overrides, "total_steps");
        boolean explicitWarmup = sets(configFile, overrides, "warmup_steps");
        Path saved = out.resolve("config.json");
        if (resume && Files.isRegularFile(saved) && configFile == null && preset == null) {
            PretrainConfig before = PretrainConfig.read(saved);
            PretrainConfig c = before;
            for (String o : all) {
                c = c.with(o);
            }
            for (String o : overrides) {
                c = c.with(o);
            }
            // a schedule that followed --max-steps keeps following it when the run is extended
            boolean followed = before.optim().totalSteps() == before.run().maxSteps();
            if (maxSteps != null && !explicitTotal && followed && c.optim().totalSteps() != maxSteps) {
                scheduleNote = "optim.total_steps follows --max-steps: now " + maxSteps + " (was "
                        + before.optim().totalSteps() + ")";
                c = c.with("optim.total_steps=" + maxSteps);
            }
            return c;
        }
        if (maxSteps != null && !explicitTotal) {
            all.add("optim.total_steps=" + maxSteps);
            scheduleNote = "optim.total_steps follows --max-steps";
            int warmup = PretrainConfig.load(preset, configFile, List.of()).optim().warmupSteps();
            if (!explicitWarmup && warmup > maxSteps / 10) {
                all.add("optim.warmup_steps=" + maxSteps / 10);
                scheduleNote += ", optim.warmup_steps at most a tenth of it";
            }
        }
        all.addAll(overrides);
        return PretrainConfig.load(preset, configFile, all);
    }

    /** Whether --set or the --config file gives optim.KEY (then --max-steps leaves it alone). */
    private static boolean sets(Path configFile, List<String> overrides, String key) {
        for (String o : overrides) {
            if (o.strip().startsWith("optim." + key)) {
                return true;
            }
        }
        if (configFile == null || !Files.isRegularFile(configFile)) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = new ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(configFile.toFile());
            return tree != null && tree.path("optim").has(key);
        } catch (IOException e) {
            return false; // PretrainConfig.load reports the broken file
        }
    }

    private static boolean hasCheckpoints(Path run) throws IOException {
        try (var s = Files.list(run.resolve("checkpoints"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        }
    }

    private void info(int rank, String message) {
        if (rank == 0) {
            spec.commandLine().getErr().println("mert pretrain: " + message);
            spec.commandLine().getErr().flush();
        }
    }

    /** Draws a progress line and prints validation and checkpoint events. */
    static final class ConsoleListener implements Trainer.Listener {
        private final PrintWriter err;
        private final boolean interactive;
        private final int logEvery;
        private long first;
        private long last;
        private final long started = System.nanoTime();

        ConsoleListener(PrintWriter err, boolean interactive, int logEvery) {
            this.err = err;
            this.interactive = interactive;
            this.logEvery = Math.max(1, logEvery);
        }

        @Override
        public void onNotice(String message) {
            err.println("mert pretrain: " + message);
            err.flush();
        }

        @Override
        public void onStart(long firstStep, long lastStep) {
            first = firstStep;
            last = lastStep;
        }

        @Override
        public void onStep(StepMetrics m) {
            StringBuilder acc = new StringBuilder();
            for (double a : m.accuracy()) {
                acc.append(acc.length() == 0 ? "" : "/").append(String.format("%.2f", a));
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            double perStep = elapsed / Math.max(1, m.step() - first + 1);
            String line = String.format("step %d/%d  loss %.3f (acoustic %.3f, cqt %.3f, penalty %.4f)  acc %s  |g| %.2f"
                            + "  lr %.2e  %.1f audio-h/h  eta %s%s", m.step(), last, m.loss(), m.acoustic(), m.cqt(),
                    m.penalty(), acc, m.gradNorm(), m.lr(), m.audioHoursPerHour(),
                    eta(perStep * (last - m.step())), m.skipped() ? "  SKIPPED (not finite)" : "");
            if (interactive) {
                err.print("\r\033[K" + line);
                if (m.step() == last) {
                    err.println();
                }
            } else if (m.step() % logEvery == 0 || m.step() == last || m.skipped()) {
                err.println(line);
            }
            err.flush();
        }

        @Override
        public void onValidation(long step, double loss, double[] accuracy) {
            if (interactive) {
                err.println();
            }
            err.printf("validation at step %d: loss %.3f, accuracy %s%n", step, loss, java.util.Arrays.toString(accuracy));
            err.flush();
        }

        @Override
        public void onCheckpoint(long step, Path path) {
            if (!interactive) {
                err.println("checkpoint " + path);
                err.flush();
            }
        }

        private static String eta(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
        }
    }

    /**
     * Starts N copies of this command as ranks 0..N-1 on this machine, the way torchrun does, and waits:
     * if one fails, the others are stopped and the launch fails.
     */
    static final class LocalLauncher {
        /** Set for the ranks it starts: the launcher has reported on the inputs already. */
        static final String LAUNCHED = "MERT4J_LAUNCHED";

        private final Class<?> program;
        private final PrintWriter err;

        /** @param program the class whose {@code main} each rank runs with the same arguments */
        LocalLauncher(Class<?> program, PrintWriter err) {
            this.program = program;
            this.err = err;
        }

        int launch(int n, List<String> args) throws Exception {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(program.getName());
            cmd.addAll(args); // each rank sees RANK and runs as one process of the world
            List<Process> ranks = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                ProcessBuilder pb = new ProcessBuilder(cmd);
                Map<String, String> env = pb.environment();
                env.put("RANK", Integer.toString(r));
                env.put("LOCAL_RANK", Integer.toString(r));
                env.put("WORLD_SIZE", Integer.toString(n));
                env.put("MASTER_ADDR", "127.0.0.1");
                env.put("MASTER_PORT", Integer.toString(port));
                env.put(LAUNCHED, "1");
                pb.inheritIO();
                ranks.add(pb.start());
            }
            int status = 0;
            boolean running = true;
            while (running) {
                running = false;
                for (int r = 0; r < n; r++) {
                    Process p = ranks.get(r);
                    if (p.isAlive()) {
                        running = true;
                    } else if (p.exitValue() != 0 && status == 0) {
                        status = p.exitValue();
                        err.println("mert pretrain: rank " + r + " failed with exit code " + status
                                + "; stopping the other ranks");
                        err.flush();
                        ranks.forEach(Process::destroy);
                    }
                }
                Thread.sleep(200);
            }
            // a rank's own verdict: 2 for bad settings or inputs (one rank refused), else 1
            return status == 0 ? ExitCode.OK : status == ExitCode.USAGE ? ExitCode.USAGE : ExitCode.SOME_FAILED;
        }
    }
}
