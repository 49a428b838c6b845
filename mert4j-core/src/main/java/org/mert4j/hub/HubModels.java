package org.mert4j.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mert4j.io.CheckpointException;
import org.mert4j.io.CheckpointFiles;

/**
 * A model folder from the Hub: the snapshot of {@code org/name@revision} in the local cache, holding
 * {@code config.json}, {@code preprocessor_config.json} when the repository has one, and the weights
 * ({@code model.safetensors}, else a sharded safetensors index and its shards, else {@code pytorch_model.bin} or
 * its sharded index). Nothing else of the repository is fetched (no code, no README). With
 * {@code HF_HUB_OFFLINE=1} only the cache is read; when the Hub cannot be reached a complete cached snapshot of
 * the revision is used, with a warning.
 */
public final class HubModels {
    static final String CONFIG = "config.json";
    static final String PREPROCESSOR = "preprocessor_config.json";

    private HubModels() {}

    /**
     * A model folder on disk for {@code text}: an existing file or folder as it is, else a Hub model id resolved
     * through the cache (downloading what is missing), with the settings of the environment and progress lines
     * logged through SLF4J ({@link DownloadListener#logged}).
     * @throws IllegalArgumentException when {@code text} is neither an existing path nor a model id
     * @throws HubException when the id cannot be resolved
     */
    public static Path locate(String text) {
        return locate(text, HubSettings.fromEnvironment(), DownloadListener.logged(30));
    }

    public static Path locate(String text, HubSettings settings, DownloadListener listener) {
        Path path = Path.of(text);
        if (Files.exists(path) || !RepoId.looksLikeId(text)) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException(text + ": no such folder, and not a Hugging Face model id"
                        + " (org/name or org/name@revision)");
            }
            return path;
        }
        try {
            return snapshot(RepoId.parse(text), settings, listener);
        } catch (HubException e) {
            throw new HubException(e.kind(), "no folder '" + text + "' here, and as a Hugging Face model id: "
                    + e.getMessage(), e);
        }
    }

    /** The snapshot folder of a model repository, complete (config and weights). */
    public static Path snapshot(RepoId id, HubSettings settings, DownloadListener listener) {
        HubCache cache = new HubCache(settings.cache(), id);
        if (settings.offline()) {
            return cached(id, cache, "HF_HUB_OFFLINE is set");
        }
        Optional<Path> pinned = id.pinned() ? complete(cache, id.revision()) : Optional.empty();
        if (pinned.isPresent()) {
            return pinned.get();
        }
        try {
            return download(id, cache, new HubFiles(id, cache, new HubClient(settings), listener));
        } catch (HubException e) {
            // the Hub down or answering garbage (a 500, a broken redirect): a complete cached copy still serves,
            // as in huggingface_hub; a definite answer (no such repository, revision or file, no access) does not
            if (e.kind() != HubException.Kind.BAD_RESPONSE && e.kind() != HubException.Kind.NETWORK) {
                throw e;
            }
            Optional<Path> cached = cache.commit(id.revision()).flatMap(c -> complete(cache, c));
            if (cached.isPresent()) {
                listener.warning("cannot use " + settings.endpoint() + " (" + e.getMessage() + "): using " + id
                        + " as cached, snapshot " + cached.get().getFileName());
                return cached.get();
            }
            throw e;
        } catch (IOException e) {
            Optional<Path> cached = cache.commit(id.revision()).flatMap(c -> complete(cache, c));
            if (cached.isPresent()) {
                listener.warning("cannot reach " + settings.endpoint() + " (" + HubClient.describe(e) + "): using "
                        + id + " as cached, snapshot " + cached.get().getFileName());
                return cached.get();
            }
            throw new HubException(HubException.Kind.NETWORK, "cannot reach " + settings.endpoint() + " to download "
                    + id + " (" + HubClient.describe(e) + "), and the cache (" + cache.dir() + ") does not hold it:"
                    + " check the connection, set HF_ENDPOINT to a reachable mirror, or fill the cache on a connected"
                    + " machine and use it here with HF_HUB_OFFLINE=1", e);
        }
    }

    private static Path download(RepoId id, HubCache cache, HubFiles files) throws IOException {
        Path config;
        try {
            config = files.fetch(id.revision(), CONFIG);
        } catch (HubClient.MissingEntry e) {
            throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, id + " has no config.json: not a model"
                    + " mert4j can load (" + e.getMessage() + ")", e);
        }
        Path snapshot = config.getParent();
        // later files at the commit, not the branch: a branch that moves meanwhile cannot mix two versions
        String commit = snapshot.getFileName().toString();
        optional(files, cache, commit, PREPROCESSOR);
        if (weightsMissing(snapshot).isEmpty()) {
            return snapshot;
        }
        for (String name : CheckpointFiles.WEIGHT_FILES) {
            Optional<Path> weights = optional(files, cache, commit, name);
            if (weights.isEmpty()) {
                continue;
            }
            if (CheckpointFiles.isIndex(name)) {
                for (String shard : shards(weights.get())) {
                    try {
                        files.fetch(commit, shard);
                    } catch (HubClient.MissingEntry e) {
                        throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, id + ": " + name + " names shard "
                                + shard + " that the repository does not have (" + e.getMessage() + ")", e);
                    }
                }
            }
            return snapshot;
        }
        throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, id + " (commit " + commit + ") has no weights"
                + " mert4j reads: none of " + CheckpointFiles.WEIGHT_FILES);
    }

    private static Optional<Path> optional(HubFiles files, HubCache cache, String commit, String name)
            throws IOException {
        if (Files.exists(cache.noExist(commit, name))) {
            return Optional.empty(); // the Hub said so before, for this very commit
        }
        try {
            return Optional.of(files.fetch(commit, name));
        } catch (HubClient.MissingEntry e) {
            return Optional.empty();
        }
    }

    private static List<String> shards(Path index) {
        try {
            return CheckpointFiles.shards(index);
        } catch (CheckpointException e) {
            throw new HubException(HubException.Kind.CORRUPT, index + ": " + e.getMessage(), e);
        }
    }

    /** The cached snapshot of the revision, or an error saying exactly what is missing and why nothing is fetched. */
    private static Path cached(RepoId id, HubCache cache, String why) {
        Optional<String> commit = cache.commit(id.revision());
        if (commit.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, id + " is not in the Hugging Face cache (" + why
                    + "): " + cache.dir().resolve("refs").resolve(id.revision()) + " does not exist, so revision '"
                    + id.revision() + "' was never downloaded here; run once without HF_HUB_OFFLINE, or set"
                    + " HF_HUB_CACHE / HF_HOME to the cache that has it");
        }
        Path snapshot = cache.snapshot(commit.get());
        List<String> missing = weightsMissing(snapshot);
        if (!Files.isRegularFile(snapshot.resolve(CONFIG))) {
            missing.add(0, CONFIG);
        }
        if (!missing.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, id + " is only partly in the Hugging Face cache ("
                    + why + "): snapshot " + snapshot + " lacks " + String.join(", ", missing)
                    + "; run once without HF_HUB_OFFLINE to complete it");
        }
        return snapshot;
    }

    private static Optional<Path> complete(HubCache cache, String commit) {
        Path snapshot = cache.snapshot(commit);
        return Files.isRegularFile(snapshot.resolve(CONFIG)) && weightsMissing(snapshot).isEmpty()
                ? Optional.of(snapshot) : Optional.empty();
    }

    /** What the snapshot lacks for a loadable set of weights: nothing, a weights file, or an index's shards. */
    private static List<String> weightsMissing(Path snapshot) {
        List<String> missing = new ArrayList<>();
        for (String name : CheckpointFiles.WEIGHT_FILES) {
            Path p = snapshot.resolve(name);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            if (CheckpointFiles.isIndex(name)) {
                try {
                    for (String shard : CheckpointFiles.shards(p)) {
                        if (!Files.isRegularFile(snapshot.resolve(shard))) {
                            missing.add(shard);
                        }
                    }
                } catch (CheckpointException e) {
                    missing.add(name + " (unreadable: " + e.getMessage() + ")");
                }
            }
            return missing;
        }
        missing.add("weights (one of " + String.join(", ", CheckpointFiles.WEIGHT_FILES) + ")");
        return missing;
    }
}
