package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.index.Neighbour;
import org.mert4j.index.VectorIndex;
import org.mert4j.io.AtomicFiles;
import org.mert4j.tensor.CpuThreads;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert index neighbours --all}: the nearest tracks of every track of an index. */
@Command(name = "neighbours", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Writes the k most similar other tracks of every track in an index (duplicates, \"more like this\" for a"
                + " whole catalogue), one JSON line per track:",
            "  {\"track\":\"a/b\",\"neighbours\":[{\"track\":\"c/d\",\"cosine\":0.9731},...]}",
            "An IVF index answers a list of tracks per matrix product, each scanning at least the lists its own query"
                + " would; an HNSW index asks one query per track."},
        footer = {
            "",
            "Examples:",
            "  mert index neighbours feats.idx --all --out neighbours.jsonl",
            "  mert index neighbours feats.idx --all -k 50 --threads 2 --out neighbours.jsonl",
            "",
            "Exit status: 0 ok, 2 usage error (no such index, a damaged index, ...)."})
final class IndexNeighboursCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IDX", description = "Index folder ('mert index build --out').")
    private Path index;

    @Option(names = "--all", required = true, description = "Every track of the index.")
    private boolean all;

    @Option(names = "-k", paramLabel = "K", description = "Neighbours per track (default 10).")
    private int k = 10;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "JSON lines file to write.")
    private Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the matrix products (default: all cores).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new UsageException("-k must be at least 1, got " + k);
        }
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + threads);
        }
        if (Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a folder: give the file to write");
        }
        CpuThreads.forTraining(threads);
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        long[] written = {0};
        try (VectorIndex idx = IndexCommand.open(index)) {
            ProgressBar bar = ProgressBar.forLongRun(err, idx.size(), "mert index neighbours");
            AtomicFiles.write(out, stream -> {
                try (JsonGenerator json = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8)) {
                    idx.allNeighbours(k, (track, neighbours) -> {
                        writeLine(json, track, neighbours);
                        written[0]++;
                    }, done -> bar.update((int) done, 0, null, false));
                }
            });
            bar.update(idx.size(), 0, null, true);
            bar.clear();
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "wrote the %d nearest tracks of each of %d tracks to %s in %.1f s%n", k, written[0],
                out, (System.nanoTime() - start) / 1e9);
        stdout.flush();
        return ExitCode.OK;
    }

    private static void writeLine(JsonGenerator json, String track, List<Neighbour> neighbours) throws IOException {
        json.writeStartObject();
        json.writeStringField("track", track);
        json.writeArrayFieldStart("neighbours");
        for (Neighbour n : neighbours) {
            json.writeStartObject();
            json.writeStringField("track", n.track());
            json.writeNumberField("cosine", n.cosine());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }
}
