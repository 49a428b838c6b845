package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;

import org.mert4j.audio.AudioFiles;
import org.mert4j.cli.jobs.FailureLog;
import org.mert4j.cli.jobs.FileJobRunner;
import org.mert4j.cli.jobs.InputFile;
import org.mert4j.cli.jobs.Inputs;
import org.mert4j.cli.jobs.OutputLock;
import org.mert4j.cli.options.LayerSpecConverter;
import org.mert4j.cli.options.ModelOptions;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.cli.options.WindowConverter;
import org.mert4j.cli.output.Embedding;
import org.mert4j.cli.output.EmbeddingRecords;
import org.mert4j.cli.output.JsonlOutput;
import org.mert4j.cli.output.OutputFormat;
import org.mert4j.cli.output.OutputLayout;
import org.mert4j.cli.output.OutputWriter;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.model.FileEmbedder;
import org.mert4j.model.FileSequenceEmbedder;
import org.mert4j.model.LayerSpec;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.model.TrackKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert embed}: features of many audio files, resumable, one bad file never stops the batch. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Computes MERT features of audio files.",
            "",
            "By default each file is cut into 5 s windows (the MARBLE protocol), each window's hidden states are"
                + " averaged over time, and the windows are averaged: one float32 array [L+1, H] per file (L+1 ="
                + " hidden states: the input to the transformer and the output of each of its L layers).",
            "",
            "One input and --out NAME.npy (or .safetensors) writes that file. Several inputs, or --out a folder,"
                + " write one file per input under --out, mirroring each file's path below the directory argument"
                + " it was found in (files and @list entries: just the file name), extension replaced. --format"
                + " jsonl writes a single NAME.jsonl with one JSON object per input.",
            "",
            "Files are streamed: decoding and resampling run a few windows ahead of the model on another thread,"
                + " so memory stays the same for a one-hour file as for a song. Only --window none loads each file"
                + " whole.",
            "",
            "Outputs record how they were made (model, hidden states per row, pool, window): in the safetensors"
                + " header, and in mert-embed.json inside an output folder or <file>.json next to a single .npy or"
                + " JSON Lines file. Reruns skip inputs whose output exists when the record matches (outputs are"
                + " written atomically, so a killed run never leaves a half file); outputs made otherwise are"
                + " refused, naming the difference (--overwrite recomputes a single output file).",
            "",
            "Inputs that are missing, dangling links, FIFOs, files that cannot be decoded or are too short, and"
                + " audio with NaN or infinite samples are reported, listed in failures.tsv next to the outputs"
                + " (tabs and line breaks in paths escaped as \\t and \\n), and the rest go on. A file shorter than"
                + " its header declares (truncated) is embedded with a warning. A second mert writing into the same"
                + " folder is refused (lock file .mert.lock)."},
        footer = {
            "",
            "Examples:",
            "  # one file -> [L+1, H] (13 x 768 for MERT-v1-95M)",
            "  mert embed --model MERT-v1-95M --out song.npy song.flac",
            "  # a music folder -> feats/<path below music/>.npy",
            "  mert embed --model MERT-v1-95M --out feats/ music/",
            "  # layers 6 and 12 of the files listed in tracks.txt, as safetensors",
            "  mert embed --model MERT-v1-95M --layers 6,12 --format safetensors \\",
            "             --out feats/ @tracks.txt",
            "  # all frames of the whole clip in one pass -> [L+1, T, H]",
            "  mert embed --model MERT-v1-95M --pool none --window none \\",
            "             --out frames.npy song.wav",
            "  # everything in one JSON Lines file",
            "  mert embed --model MERT-v1-95M --format jsonl --out all.jsonl music/",
            "  # throughput benchmark with random weights of the 95M shape",
            "  mert embed --model preset:v1-95m --device cuda --batch 8 --out bench/ music/",
            "",
            "Exit status: 0 all done, 1 some inputs failed (see failures.tsv), 2 usage or model error, or outputs"
                + " made otherwise, or another mert writing there."})
public final class EmbedCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "PATH",
            description = "Output file (one input, name ending in the format's extension), folder (one output per"
                    + " input) or NAME.jsonl (--format jsonl).")
    private Path out;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|LIST", converter = LayerSpecConverter.class,
            description = "Hidden states to keep: all, a list (0,6,12) or ranges (3-5); 0 = before the first"
                    + " transformer layer, L or -1 = last layer (negative indices count from the end)."
                    + " Default: ${DEFAULT-VALUE}.")
    private LayerSpec layers;

    @Option(names = "--pool", defaultValue = "mean", paramLabel = "mean|none",
            description = "mean: average over time -> [layers, H]; none: every frame -> [layers, T, H]."
                    + " Default: ${DEFAULT-VALUE}.")
    private EmbedOptions.Pool pool;

    @Option(names = "--window", defaultValue = "5", paramLabel = "SECONDS|none", converter = WindowConverter.class,
            description = "Window length in seconds, or none for the whole file at once. Default: ${DEFAULT-VALUE}.")
    private double window;

    @Option(names = "--format", paramLabel = "npy|safetensors|jsonl",
            description = "Output format. Default: from the --out extension, else npy.")
    private OutputFormat format;

    @Option(names = "--int8", description = "CPU only: int8 dynamic quantisation of the transformer's Linears and"
            + " the conv front, about 1.5x faster with pooled embeddings at cosine 0.999 to fp32"
            + " (docs/performance.md).")
    private boolean int8;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Windows of equal length run together, up to N (helps on GPUs). Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--overwrite", description = "Recompute inputs whose output already exists.")
    private boolean overwrite;

    @Mixin
    private VerboseOption verbose;

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Audio files, directories (searched recursively for audio extensions) or @list.txt"
                    + " (one path per line).")
    private List<String> inputs;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (batch < 1) {
            throw new UsageException("--batch " + batch + ": must be at least 1");
        }
        modelOptions.threads(); // a usage error before the model is looked for
        if (int8 && !modelOptions.device().equals("cpu")) {
            throw new UsageException("--int8 runs on the CPU only, not on --device " + modelOptions.device());
        }
        ModelSource source = modelOptions.source(spec.commandLine().getErr());
        OutputFormat fmt = chooseFormat();
        Inputs.Expanded expanded = Inputs.expand(inputs);
        List<InputFile> files = expanded.files();
        if (files.isEmpty() && expanded.problems().isEmpty()) {
            throw new UsageException("no audio files found in " + String.join(" ", inputs) + " (audio extensions: "
                    + String.join(", ", new java.util.TreeSet<>(org.mert4j.audio.AudioFiles.EXTENSIONS)) + ")");
        }
        OutputLayout layout = chooseLayout(fmt, files.size());
        MertConfig config = source.config();
        int[] layerIdx;
        try {
            layerIdx = layers.resolve(config.numHiddenStates()); // a usage error before anything is written
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        EmbeddingInfo wanted = new EmbeddingInfo(source.displayName(), source.fingerprint(),
                config.numHiddenStates(), layerIdx, pool.name().toLowerCase(Locale.ROOT),
                WindowConverter.describe(window), config.sampleRate());
        Map<InputFile, Path> targets = layout == OutputLayout.JSONL ? Map.of() : targets(layout, files, fmt);
        Path folder = layout == OutputLayout.FOLDER ? out : out.toAbsolutePath().getParent();
        try (OutputLock lock = OutputLock.acquire(folder, "mert embed", err)) {
            EmbeddingRecords records = EmbeddingRecords.check(layout, out, fmt, wanted, overwrite, err);
            Set<String> processed = new HashSet<>();
            files.forEach(f -> processed.add(f.display()));
            expanded.problems().forEach(p -> processed.add(p.path()));
            try (FailureLog failures = new FailureLog(folder.resolve(FailureLog.FILE_NAME), processed::contains)) {
                return embedAll(source, files, expanded.problems(), layout, targets, fmt, wanted, layerIdx, records,
                        failures, err);
            }
        }
    }

    private int embedAll(ModelSource source, List<InputFile> files, List<AudioFiles.Problem> problems,
                         OutputLayout layout, Map<InputFile, Path> targets, OutputFormat fmt, EmbeddingInfo wanted,
                         int[] layerIdx, EmbeddingRecords records, FailureLog failures, PrintWriter err)
            throws IOException {
        FileJobRunner runner = new FileJobRunner("mert embed", err, verbose.stackTraces(), failures);
        for (AudioFiles.Problem p : problems) {
            runner.failed(p.path(), p.reason());
        }
        JsonlOutput jsonl = null;
        try {
            List<InputFile> pending = new ArrayList<>();
            int skipped = 0;
            if (layout == OutputLayout.JSONL) {
                jsonl = new JsonlOutput(out, overwrite);
                for (AudioFiles.Problem p : problems) {
                    jsonl.writeError(p.path(), p.reason());
                }
            }
            for (InputFile f : files) {
                boolean done = jsonl != null ? jsonl.has(f.display()) : !overwrite && Files.exists(targets.get(f));
                if (done) {
                    skipped++;
                } else {
                    pending.add(f);
                }
            }
            runner.summary().skipped(skipped);
            if (pending.isEmpty()) {
                if (!files.isEmpty()) {
                    err.println("mert embed: nothing to do, all " + skipped + " outputs exist (--overwrite recomputes)");
                }
                return runner.finish();
            }
            records.beforeOutputs();
            try (MertModel mert = source.open(modelOptions.device(), err, int8)) {
                modelOptions.applyThreads();
                EmbedOptions options = new EmbedOptions(window, pool, layerIdx, batch);
                OutputWriter writer = layout == OutputLayout.JSONL ? null : fmt.writer(wanted);
                if (skipped > 0) {
                    err.println("mert embed: skipping " + skipped + " of " + files.size()
                            + " inputs whose output exists (--overwrite recomputes them)");
                }
                run(mert, options, pending, targets, writer, jsonl, records, runner, layerIdx);
            }
            return runner.finish();
        } finally {
            if (jsonl != null) {
                jsonl.close();
            }
        }
    }

    private void run(MertModel mert, EmbedOptions options, List<InputFile> pending, Map<InputFile, Path> targets,
                     OutputWriter writer, JsonlOutput jsonl, EmbeddingRecords records, FileJobRunner runner,
                     int[] layerIdx) throws IOException {
        int sr = mert.sampleRate();
        List<Path> paths = pending.stream().map(InputFile::file).toList();
        try (FileSequenceEmbedder embeddings = new FileSequenceEmbedder(mert.fileEmbedder(options), sr, paths)) {
            runner.run(pending, new FileJobRunner.Job<Embedding>() {
                @Override
                public Embedding work(int index, InputFile f, DoubleConsumer partway) throws IOException {
                    FileEmbedder.Result r = embeddings.next(samples -> partway.accept(samples / (double) sr));
                    if (r.warning() != null) {
                        runner.warning(f, r.warning());
                    }
                    Embedding e = new Embedding(f, r.seconds(), r.values(), layerIdx);
                    if (jsonl != null) {
                        jsonl.write(e);
                    } else {
                        writer.write(targets.get(f), e);
                        records.afterOutput();
                    }
                    return e;
                }

                @Override
                public double keep(int index, InputFile f, Embedding e) {
                    return e.durationSeconds();
                }

                @Override
                public void failed(int index, InputFile f, String reason) throws IOException {
                    if (jsonl != null) {
                        jsonl.writeError(f.display(), reason);
                    }
                }
            });
        }
    }

    private OutputFormat chooseFormat() {
        OutputFormat byName = OutputFormat.ofFileName(out);
        if (format == null) {
            return byName != null ? byName : OutputFormat.NPY;
        }
        if (byName != null && byName != format) {
            throw new UsageException("--out " + out + " has the extension of " + byName.name().toLowerCase(Locale.ROOT)
                    + " but --format is " + format.name().toLowerCase(Locale.ROOT));
        }
        return format;
    }

    private OutputLayout chooseLayout(OutputFormat fmt, int numFiles) {
        if (fmt == OutputFormat.JSONL) {
            if (OutputFormat.ofFileName(out) != OutputFormat.JSONL || Files.isDirectory(out)) {
                throw new UsageException("--format jsonl writes a single file: give --out NAME.jsonl (got " + out + ")");
            }
            return OutputLayout.JSONL;
        }
        boolean namesFile = OutputFormat.ofFileName(out) == fmt && !Files.isDirectory(out);
        if (!namesFile) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UsageException("--out " + out + " is an existing file; for one output per input give a folder");
            }
            return OutputLayout.FOLDER;
        }
        if (numFiles > 1) {
            throw new UsageException("--out " + out + " names one file but the inputs hold " + numFiles
                    + " audio files; give a folder (one output per input) or --format jsonl with --out NAME.jsonl");
        }
        return OutputLayout.ONE_FILE;
    }

    /** Output path of each input; two inputs that would share one output are a usage error, not an overwrite. */
    private Map<InputFile, Path> targets(OutputLayout layout, List<InputFile> files, OutputFormat fmt) {
        Map<InputFile, Path> targets = new HashMap<>();
        Map<Path, InputFile> owners = new HashMap<>();
        for (InputFile f : files) {
            Path target = layout == OutputLayout.ONE_FILE ? out : out.resolve(withExtension(f.relative(), fmt));
            InputFile other = owners.putIfAbsent(target.toAbsolutePath().normalize(), f);
            if (other != null) {
                throw new UsageException(other.display() + " and " + f.display() + " would both be written to "
                        + target + "; give them separately with different --out folders");
            }
            targets.put(f, target);
        }
        return targets;
    }

    /** Where an input's output goes below the output folder: its track key with the format's extension. */
    static Path withExtension(Path relative, OutputFormat fmt) {
        return Path.of(TrackKey.of(relative) + fmt.extension());
    }
}
