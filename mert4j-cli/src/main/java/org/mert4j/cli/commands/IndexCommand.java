package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.mert4j.cli.console.Counts;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.hub.RepoId;
import org.mert4j.index.HnswParams;
import org.mert4j.index.IndexMetadata;
import org.mert4j.index.IndexParams;
import org.mert4j.index.IvfParams;
import org.mert4j.index.Neighbour;
import org.mert4j.index.NpyEmbeddings;
import org.mert4j.index.VectorIndex;
import org.mert4j.index.VectorIndexWriter;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.model.LayerSpec;
import org.mert4j.model.MertModel;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mert index}: nearest-neighbour search over track embeddings. */
@Command(name = "index", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        subcommands = {IndexCommand.Build.class, IndexCommand.Query.class, IndexNeighboursCommand.class,
            IndexBenchCommand.class},
        description = {"Similarity search over pooled embeddings (nearest neighbours by cosine similarity): an"
                + " inverted-file index (IVF, the default) or a Lucene HNSW graph."},
        footer = {
            "",
            "Examples:",
            "  mert embed --model MERT-v1-95M --out feats/ music/",
            "  mert index build --embeddings feats/ --layer 6 --model MERT-v1-95M \\",
            "                   --out feats.idx",
            "  mert index query feats.idx --audio new-song.mp3 -k 10",
            "  mert index query feats.idx --path music/some-track.flac",
            "  mert index neighbours feats.idx --all -k 10 --out neighbours.jsonl"})
public final class IndexCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: build, query, neighbours or bench");
    }

    /** {@code mert index build}. */
    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {
                "Builds a similarity index over one layer of pooled embeddings.",
                "",
                "Kinds (--kind): ivf (default) splits the vectors into lists by spherical k-means and scans the"
                    + " lists most similar to a query exactly; the build measures recall@10 on the catalogue's own"
                    + " tracks against an exact scan and keeps the fewest lists per query (--probes) that reach"
                    + " --recall. It builds in seconds to minutes and holds the vectors in memory (4 bytes a value)."
                    + " hnsw builds a Lucene HNSW graph on disk: slower to build (about 5 minutes for 100,000"
                    + " 768-d vectors on 2 cores), little memory to query.",
                "",
                "Input: a folder of pooled .npy files as 'mert embed' writes them, with the mert-embed.json that"
                    + " says which hidden state each row holds; each track is keyed by its path below the folder"
                    + " without .npy.",
                "Parquet from the Spark job is indexed with the Spark module instead (Parquet needs Hadoop, which"
                    + " the command line does not carry):",
                "  spark-submit --class org.mert4j.spark.BuildIndex mert4j-spark-app.jar \\",
                "               feats.parquet 6 feats.idx"},
            footer = {
                "",
                "Examples:",
                "  mert index build --embeddings feats/ --layer 6 --model MERT-v1-95M \\",
                "                   --out feats.idx",
                "  mert index build --embeddings feats/ --layer -1 --out last.idx --recall 0.99",
                "  mert index build --embeddings feats/ --layer 6 --out feats.idx --kind hnsw \\",
                "                   --max-connections 32",
                "",
                "Exit status: 0 ok, 1 some files could not be read (listed on stderr), 2 usage error (such as a"
                    + " hidden state the embeddings do not hold)."})
    static final class Build implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--embeddings", required = true, paramLabel = "DIR", description = "Folder of .npy embeddings.")
        private Path embeddings;

        @Option(names = "--layer", required = true, paramLabel = "N",
                description = "Hidden state to index (0 = before the first transformer layer, -1 = the last),"
                        + " found through the folder's mert-embed.json whatever --layers the embeddings kept.")
        private int layer;

        @Option(names = {"-o", "--out"}, required = true, paramLabel = "IDX", description = "Index folder to write.")
        private Path out;

        @Option(names = {"-m", "--model"}, paramLabel = "DIR|ID",
                description = "Model folder or Hub model id the embeddings came from, recorded so 'query --audio'"
                        + " can use it.")
        private String model;

        @Option(names = "--kind", paramLabel = "KIND", description = "ivf (default) or hnsw.")
        private String kind = "ivf";

        @Option(names = "--lists", paramLabel = "N",
                description = "IVF lists (default: about 2 sqrt(tracks)).")
        private Integer lists;

        @Option(names = "--probes", paramLabel = "N",
                description = "IVF lists a query scans (default: the fewest that reach --recall).")
        private Integer probes;

        @Option(names = "--recall", paramLabel = "R",
                description = "IVF recall@10 the probes are chosen for, measured on the catalogue's own tracks"
                        + " (default 0.98).")
        private Double recall;

        @Option(names = "--max-connections", paramLabel = "M", description = "HNSW neighbours per node (default 16).")
        private Integer maxConnections;

        @Option(names = "--beam-width", paramLabel = "N", description = "HNSW build candidates (default 100).")
        private Integer beamWidth;

        @Option(names = "--search-width", paramLabel = "N",
                description = "HNSW query candidates (default 400): higher recall, slower queries.")
        private Integer searchWidth;

        @Mixin
        private VerboseOption verbose;

        @Override
        public Integer call() throws IOException {
            String name = embeddings.getFileName() == null ? "" : embeddings.getFileName().toString();
            if (name.endsWith(".parquet")) {
                throw new UsageException("--embeddings " + embeddings + ": Parquet is indexed with the Spark module:"
                        + " spark-submit --class org.mert4j.spark.BuildIndex mert4j-spark-app.jar " + embeddings + " "
                        + layer + " " + out);
            }
            if (!Files.isDirectory(embeddings)) {
                throw new UsageException("--embeddings " + embeddings + ": no such folder (expected the .npy files"
                        + " 'mert embed' writes)");
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UsageException("--out " + out + " is an existing file; an index is a folder: give a new"
                        + " folder name");
            }
            if (model != null && !Files.isDirectory(Path.of(model)) && !RepoId.looksLikeId(model)) {
                throw new UsageException("--model " + model + ": no such folder, and not a Hub model id (org/name)");
            }
            PrintWriter err = spec.commandLine().getErr();
            int[] stateAndRow = stateAndRow(err);
            int state = stateAndRow[0];
            int row = stateAndRow[1];
            IndexParams params = params();
            List<Path> files = NpyEmbeddings.list(embeddings);
            if (files.isEmpty()) {
                throw new UsageException("--embeddings " + embeddings + ": no .npy files inside");
            }
            PrintWriter stdout = spec.commandLine().getOut();
            ProgressBar bar = new ProgressBar(err, files.size(), ProgressBar.interactive());
            long start = System.nanoTime();
            int failed = 0;
            VectorIndexWriter writer = null;
            try {
                for (int i = 0; i < files.size(); i++) {
                    Path f = files.get(i);
                    bar.update(i, 0, f.getFileName().toString(), false);
                    try {
                        float[] v = NpyEmbeddings.row(f, row);
                        if (writer == null) {
                            // outside the per-file errors: a folder that cannot be written is not a bad input file
                            writer = newWriter(v.length, state, params);
                        }
                        writer.add(NpyEmbeddings.key(embeddings, f), v);
                    } catch (IOException | IllegalArgumentException e) {
                        bar.clear();
                        err.println("mert index build: skipped " + f + ": " + e.getMessage());
                        failed++;
                    }
                }
                bar.update(files.size(), 0, null, true);
                bar.clear();
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
            if (writer == null) {
                throw new UsageException("--embeddings " + embeddings + ": none of the " + files.size()
                        + " .npy files could be read");
            }
            IndexMetadata built = IndexMetadata.read(out);
            stdout.printf(Locale.ROOT, "indexed %s (layer %d, %d-d) in %s in %.1f s%s%s%n", Counts.of(writer.count(), "track"), state,
                    built.dimension(), out, (System.nanoTime() - start) / 1e9, describe(built),
                    failed > 0 ? "; " + Counts.of(failed, "file") + " skipped" : "");
            stdout.flush();
            return failed > 0 ? ExitCode.SOME_FAILED : ExitCode.OK;
        }

        /** The settings of --kind, refusing options of the other kind. */
        private IndexParams params() {
            IndexParams.Kind k;
            try {
                k = IndexParams.Kind.of(kind);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--kind " + kind + ": expected ivf or hnsw");
            }
            try {
                if (k == IndexParams.Kind.IVF) {
                    refuse(maxConnections, "--max-connections", "hnsw");
                    refuse(beamWidth, "--beam-width", "hnsw");
                    refuse(searchWidth, "--search-width", "hnsw");
                    IvfParams d = IvfParams.DEFAULT;
                    return new IvfParams(lists == null ? d.lists() : lists, probes == null ? d.probes() : probes,
                            recall == null ? d.recall() : recall);
                }
                refuse(lists, "--lists", "ivf");
                refuse(probes, "--probes", "ivf");
                refuse(recall, "--recall", "ivf");
                HnswParams d = HnswParams.DEFAULT;
                return new HnswParams(maxConnections == null ? d.maxConnections() : maxConnections,
                        beamWidth == null ? d.beamWidth() : beamWidth, searchWidth == null ? d.searchWidth() : searchWidth);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        private void refuse(Object given, String option, String kindOfOption) {
            if (given != null) {
                throw new UsageException(option + " is a setting of --kind " + kindOfOption + ", not of --kind " + kind);
            }
        }

        /** "; 40 lists, 6 probed per query (recall@10 0.983 on its own tracks)" for an IVF index. */
        private static String describe(IndexMetadata m) {
            IvfParams ivf = m.ivf();
            return ivf == null ? "" : String.format(Locale.ROOT, "; %d lists, %d probed per query (recall@10 %.3f on"
                    + " its own tracks)", ivf.lists(), ivf.probes(), ivf.recall());
        }

        /** A folder as its absolute path (the query may run elsewhere), a Hub id as it is (resolved by the query). */
        private static String recordedModel(String model) {
            Path dir = Path.of(model);
            return Files.isDirectory(dir) ? dir.toAbsolutePath().normalize().toString() : model;
        }

        private VectorIndexWriter newWriter(int dimension, int state, IndexParams params) {
            try {
                return VectorIndexWriter.create(out, dimension, state,
                        model == null ? null : recordedModel(model),
                        embeddings.toAbsolutePath().normalize().toString(), params);
            } catch (IOException e) {
                throw new UsageException("--out " + out + ": cannot write the index there: " + e.getMessage());
            }
        }

        /**
         * The hidden state --layer names and the row of the embedding files that holds it, from the folder's
         * record (mert-embed.json): files written with --layers 6,12 hold hidden state 12 in row 1.
         */
        private int[] stateAndRow(PrintWriter err) {
            Path record = embeddings.resolve(EmbeddingInfo.FOLDER_FILE);
            EmbeddingInfo info = EmbeddingInfo.read(record);
            if (info == null) {
                if (layer < 0) {
                    throw new UsageException("--layer " + layer + ": " + embeddings + " has no " + EmbeddingInfo.FOLDER_FILE
                            + " saying how many hidden states the model has (embedded by an older mert4j): give the"
                            + " hidden state as a number from 0");
                }
                err.println("mert index build: warning: " + embeddings + " has no " + EmbeddingInfo.FOLDER_FILE
                        + " (embedded by an older mert4j): taking row " + layer + " of each file as hidden state "
                        + layer + ", which holds only if they were embedded with all layers");
                err.flush();
                return new int[] {layer, layer};
            }
            int state = LayerSpec.absolute(layer, info.hiddenStates());
            if (state < 0 || state >= info.hiddenStates()) {
                throw new UsageException("--layer " + layer + ": the model " + info.model() + " has hidden states 0-"
                        + (info.hiddenStates() - 1) + " (-1 = the last)");
            }
            int row = info.rowOf(state);
            if (row < 0) {
                throw new UsageException("--layer " + layer + ": " + embeddings + " holds hidden states "
                        + EmbeddingInfo.join(info.layers()) + " only (recorded in " + record + "), not " + state
                        + ": index one of those, or embed again with --layers including " + state);
            }
            if (!"mean".equals(info.pool())) {
                throw new UsageException(embeddings + " holds every frame (--pool " + info.pool() + ", recorded in "
                        + record + "): an index needs pooled embeddings (embed with the default --pool mean)");
            }
            return new int[] {state, row};
        }
    }

    /** {@code mert index query}. */
    @Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {
                "Prints the tracks most similar to a piece of audio or to a track already in the index:",
                "rank, cosine similarity and track key, best first (a known track itself is left out).",
                "Audio is embedded like 'mert embed' (MARBLE protocol) with the model recorded in the index,"
                    + " or --model."},
            footer = {
                "",
                "Examples:",
                "  mert index query feats.idx --audio new-song.mp3",
                "  mert index query feats.idx --path music/jazz/track-12.flac -k 20",
                "  mert index query feats.idx --audio clip.wav --model MERT-v1-95M --json",
                "",
                "Exit status: 0 ok, 1 the audio cannot be read, 2 usage error (unknown track, no model, a damaged"
                    + " index, ...)."})
    static final class Query implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IDX", description = "Index folder ('mert index build --out').")
        private Path index;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private What what;

        static final class What {
            @Option(names = "--audio", required = true, paramLabel = "FILE", description = "Audio file to embed and look up.")
            Path audio;

            @Option(names = "--path", required = true, paramLabel = "TRACK",
                    description = "A track in the index: its key, or a path with the same file name.")
            String path;
        }

        @Option(names = "-k", paramLabel = "K", description = "Number of results (default 10; at most the tracks"
                + " in the index).")
        private int k = 10;

        @Option(names = {"-m", "--model"}, paramLabel = "DIR|ID",
                description = "Model folder or Hub model id (default: the index's).")
        private String model;

        @Option(names = "--device", paramLabel = "DEV", description = "cpu (default), cuda or cuda:N.")
        private String device = "cpu";

        @Option(names = "--json", description = "One JSON object per line instead of a table.")
        private boolean json;

        @Mixin
        private VerboseOption verbose;

        @Override
        public Integer call() throws IOException {
            if (k < 1) {
                throw new UsageException("-k must be at least 1, got " + k);
            }
            try (VectorIndex idx = IndexCommand.open(index)) {
                List<Neighbour> result;
                if (what.path != null) {
                    result = idx.similarTo(what.path, k);
                } else {
                    result = idx.search(embed(idx.metadata()), k);
                }
                print(result);
            }
            return ExitCode.OK;
        }

        private float[] embed(IndexMetadata meta) {
            String dir = model != null ? model : meta.model();
            if (dir == null) {
                throw new UsageException(index + " records no model: give --model DIR (the one the embeddings"
                        + " were made with)");
            }
            if (!Files.isRegularFile(what.audio)) {
                throw new UsageException("--audio " + what.audio + ": no such file");
            }
            try (MertModel mert = ModelSource.parse(dir, spec.commandLine().getErr()).open(device,
                    spec.commandLine().getErr())) {
                int states = mert.config().numHiddenStates();
                if (meta.layer() >= states) {
                    throw new UsageException(dir + " has hidden states 0.." + (states - 1) + " but the index holds layer "
                            + meta.layer());
                }
                float[] v = mert.embed(what.audio, EmbedOptions.MARBLE.withLayers(new int[] {meta.layer()})).row(0);
                if (v.length != meta.dimension()) {
                    throw new UsageException(dir + " gives " + v.length + "-d features, the index holds "
                            + meta.dimension() + "-d: not the model the index was built with");
                }
                return v;
            }
        }

        private void print(List<Neighbour> result) {
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < result.size(); i++) {
                Neighbour n = result.get(i);
                if (json) {
                    out.printf(Locale.ROOT, "{\"rank\":%d,\"cosine\":%.6f,\"track\":\"%s\"}%n", i + 1, n.cosine(),
                            n.track().replace("\\", "\\\\").replace("\"", "\\\""));
                } else {
                    out.printf(Locale.ROOT, "%3d  %.4f  %s%n", i + 1, n.cosine(), n.track());
                }
            }
            out.flush();
        }
    }

    /** A damaged index is not unreadable audio: a usage-class error (exit 2) naming the folder. */
    static VectorIndex open(Path index) {
        if (!Files.isRegularFile(index.resolve(IndexMetadata.FILE_NAME))) {
            throw new UsageException(index + ": not a mert index (no " + IndexMetadata.FILE_NAME
                    + "; build one with 'mert index build')");
        }
        try {
            return VectorIndex.open(index);
        } catch (IOException | RuntimeException e) {
            throw new UsageException(index + ": not a readable mert index: " + e.getMessage());
        }
    }
}
