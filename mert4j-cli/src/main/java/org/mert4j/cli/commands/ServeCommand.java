package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.ModelOptions;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.index.IndexMetadata;
import org.mert4j.index.VectorIndex;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.serve.AudioRoot;
import org.mert4j.serve.MertServer;
import org.mert4j.serve.ModelIdentity;
import org.mert4j.serve.ServeSettings;

import sun.misc.Signal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert serve}: embeddings and similarity search over HTTP, one model load for many questions. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Serves embeddings and similarity search over HTTP, with a catalogue page at /.",
            "",
            "Routes: GET /healthz, GET /metrics (Prometheus), POST /v1/embed[?layers=all|LIST&pool=mean|none] (body:"
                + " the audio file's bytes; answers what 'mert embed' writes), POST /v1/search?k=10 (audio bytes),"
                + " GET /v1/tracks/KEY/neighbours?k=10, GET /v1/tracks/KEY/audio (from --audio-root, with HTTP Range),"
                + " GET /v1/map and /v1/map/points (the catalogue's 2-D map), GET /v1/info. Errors are JSON {\"error\"}."
                + " With 'Accept: application/x-ndjson', embed and search answer a progress line per window first.",
            "",
            "Windows of concurrent requests run together in one forward pass (up to --max-batch, waiting at most"
                + " --max-wait-ms for company). More than --max-queue requests waiting get 503 with Retry-After;"
                + " uploads over --max-upload-mb, or audio longer than --max-seconds once decoded, get 413; a body"
                + " that takes longer than --upload-seconds to arrive gets 408 (it is read before the request"
                + " queues for the model); frame-level answers (pool=none) larger than --max-answer-mb get 422;"
                + " audio that cannot be decoded (or is truncated) and bodies that break off get 400. The model"
                + " work of a request stops when its client hangs up.",
            "",
            "Security: binds 127.0.0.1 unless --host says otherwise. With --token (or MERT_SERVE_TOKEN) every route"
                + " but /healthz needs 'Authorization: Bearer TOKEN' (a browser opens /?token=TOKEN once and keeps it as"
                + " a same-site cookie). Audio is read from --audio-root only: keys with '..', absolute keys and links"
                + " out of it are 404. Against DNS rebinding, a Host header must be an IP address, localhost,"
                + " --host or an --allowed-host name (else 403); POSTs a browser sends from another site (Origin or"
                + " Sec-Fetch-Site) are refused with 403.",
            "",
            "SIGTERM or SIGINT (Ctrl-C) stops accepting connections, lets requests in flight finish (up to"
                + " --drain-seconds; model work still running then answers 503), then exits with status 0."},
        footer = {
            "",
            "Examples:",
            "  mert serve --model MERT-v1-95M --index feats.idx --audio-root music/",
            "  curl --data-binary @song.flac http://127.0.0.1:8765/v1/embed?layers=6",
            "  curl --data-binary @clip.mp3 'http://127.0.0.1:8765/v1/search?k=5'",
            "",
            "Exit status: 0 after a stop, 2 usage or model error."})
public final class ServeCommand implements Callable<Integer> {
    /** The environment variable that gives the token when --token does not. */
    public static final String TOKEN_ENV = "MERT_SERVE_TOKEN";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelOptions modelOptions;

    @Option(names = "--index", paramLabel = "IDX",
            description = "Similarity index ('mert index build') for /v1/search, neighbours and the map; built with"
                    + " this model.")
    private Path index;

    @Option(names = "--audio-root", paramLabel = "DIR",
            description = "Folder holding the catalogue's audio: track KEY is DIR/KEY.EXT (the path 'mert embed' saw"
                    + " below its input folder).")
    private Path audioRoot;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to bind. Default: ${DEFAULT-VALUE} (this machine only).")
    private String host;

    @Option(names = "--quiet", description = "No line per request on stderr (by default: client, time, method,"
            + " path, status, bytes, milliseconds; never the query, which may hold the token).")
    private boolean quiet;

    @Option(names = "--port", defaultValue = "8765", paramLabel = "N", description = "Port (0: any free one)."
            + " Default: ${DEFAULT-VALUE} (not 8080, which Spark's master UI takes).")
    private int port;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Windows run together in one forward pass at most. Default: ${DEFAULT-VALUE}.")
    private int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "10", paramLabel = "T",
            description = "How long a window waits for others to share its pass. Default: ${DEFAULT-VALUE}.")
    private long maxWaitMs;

    @Option(names = "--max-upload-mb", defaultValue = "50", paramLabel = "S",
            description = "Largest upload in MiB (413 above). Default: ${DEFAULT-VALUE}.")
    private double maxUploadMb;

    @Option(names = "--max-queue", defaultValue = "64", paramLabel = "N",
            description = "Requests embedding or waiting at most; more get 503 with Retry-After. Default: ${DEFAULT-VALUE}.")
    private int maxQueue;

    @Option(names = "--max-seconds", defaultValue = "1200", paramLabel = "S",
            description = "Longest audio embedded, counted once decoded (413 above). Default: ${DEFAULT-VALUE}.")
    private double maxSeconds;

    @Option(names = "--max-answer-mb", defaultValue = "128", paramLabel = "S",
            description = "Largest frame-level answer (pool=none) in MiB, counting 16 bytes a number (422 above)."
                    + " Default: ${DEFAULT-VALUE}.")
    private double maxAnswerMb;

    @Option(names = "--upload-seconds", defaultValue = "120", paramLabel = "S",
            description = "How long a request body may take to arrive in all (408 after). Default: ${DEFAULT-VALUE}.")
    private int uploadSeconds;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A host name clients may use in the Host header besides IP addresses, localhost and --host"
                    + " (repeatable; for a server reached by name, e.g. behind a proxy).")
    private List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--token", paramLabel = "T", description = "Bearer token for every route but /healthz"
            + " (default: $" + TOKEN_ENV + ", else none; prefer the variable: other users can read command lines).")
    private String token;

    @Option(names = "--drain-seconds", defaultValue = "30", paramLabel = "S",
            description = "On SIGTERM, how long requests in flight may take to finish. Default: ${DEFAULT-VALUE}.")
    private int drainSeconds;

    @Mixin
    private VerboseOption verbose;

    private MertServer server;
    private MertModel mert;
    private VectorIndex idx;
    private boolean stopped;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String tok = token != null ? token : System.getenv(TOKEN_ENV);
        if (tok != null && tok.isBlank()) {
            throw new UsageException("--token is empty");
        }
        if (maxBatch < 1 || maxWaitMs < 0 || maxQueue < 1 || drainSeconds < 0 || !(maxUploadMb > 0)
                || !(maxSeconds > 0) || !(maxAnswerMb > 0) || uploadSeconds < 1) {
            throw new UsageException("--max-batch, --max-queue and --upload-seconds must be at least 1, --max-wait-ms"
                    + " and --drain-seconds at least 0, --max-upload-mb, --max-seconds and --max-answer-mb above 0");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--port " + port + ": expected 0 to 65535");
        }
        modelOptions.threads(); // a usage error before the model is looked for
        AudioRoot root = null;
        if (audioRoot != null) {
            if (!Files.isDirectory(audioRoot)) {
                throw new UsageException("--audio-root " + audioRoot + ": no such folder");
            }
            root = new AudioRoot(audioRoot);
        }
        ModelSource source = modelOptions.source(err);
        MertConfig config = source.config();
        if (index != null) {
            checkIndex(config);
        }
        ServeSettings settings = new ServeSettings(host, port, maxBatch, maxWaitMs, (long) (maxUploadMb * 1024 * 1024),
                maxQueue, tok, drainSeconds, maxSeconds, (long) (maxAnswerMb * 1024 * 1024), uploadSeconds,
                allowedHosts);
        mert = source.open(modelOptions.device(), err);
        modelOptions.applyThreads();
        int[] all = org.mert4j.model.EmbedOptions.MARBLE.resolveLayers(config.numHiddenStates());
        try {
            idx = index == null ? null : VectorIndex.open(index);
            server = MertServer.start(settings, config, new ModelIdentity(source.displayName(), source.fingerprint()),
                    (windows, pool) -> mert.encodeWindows(windows, all, pool), idx, root, quiet ? null : this::logRequest);
        } catch (IOException e) {
            stop();
            if (String.valueOf(e.getMessage()).contains("Failed to bind")) {
                throw new UsageException("cannot listen on " + host + ":" + port + ": the port is in use (or not ours"
                        + " to take); give another with --port N, or --port 0 for any free one");
            }
            throw new UsageException("cannot start: " + e.getMessage());
        } catch (Exception e) {
            stop();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "mert-serve-stop"));
        // a stop asked for by signal is the normal end: the drain runs, join() returns, and the exit status is 0
        // (a JVM ended by the signal itself would exit 143 or 130)
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> new Thread(this::stop, "mert-serve-stop").start());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("mert serve: listening on http://%s:%d/ (model %s%s)%n", host.contains(":") ? "[" + host + "]" : host,
                server.port(), source.displayName(), idx == null ? ", no index" : ", " + idx.size() + " tracks");
        out.flush();
        server.join();
        stop();
        return ExitCode.OK;
    }

    /** The index must hold a hidden state of this model, with its width. */
    private void checkIndex(MertConfig config) throws IOException {
        if (!Files.isRegularFile(index.resolve(IndexMetadata.FILE_NAME))) {
            throw new UsageException("--index " + index + ": not a mert index (no " + IndexMetadata.FILE_NAME + ")");
        }
        IndexMetadata meta = IndexMetadata.read(index);
        if (meta.layer() >= config.numHiddenStates() || meta.dimension() != config.transformer().hiddenSize()) {
            throw new UsageException("--index " + index + " holds layer " + meta.layer() + " with " + meta.dimension()
                    + "-d vectors, but " + modelOptions.model() + " has hidden states 0.." + (config.numHiddenStates() - 1) + " of "
                    + config.transformer().hiddenSize() + "-d: not the model the index was built with");
        }
    }

    private void logRequest(String line) {
        PrintWriter err = spec.commandLine().getErr();
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    /** Drains and stops the server, then frees the index and the model: once, from the signal or the main thread. */
    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (server != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("mert serve: stopping: requests in flight get up to %d s to finish%n", drainSeconds);
            err.flush();
            long start = System.nanoTime();
            server.close();
            err.printf(java.util.Locale.ROOT, "mert serve: stopped after %.1f s%n", (System.nanoTime() - start) / 1e9);
            err.flush();
        }
        if (idx != null) {
            try {
                idx.close();
            } catch (IOException e) {
                // closing at exit: nothing to do about it
            }
        }
        if (mert != null) {
            mert.close();
        }
    }
}
