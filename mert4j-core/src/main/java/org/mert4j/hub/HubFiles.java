package org.mert4j.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One repository's files, each fetched the way huggingface_hub's {@code hf_hub_download} does it: a commit
 * hash already in the cache answers without a request; otherwise a HEAD names the commit and the blob, the ref
 * is recorded, an existing blob is linked into the snapshot, and a missing one is downloaded under a lock
 * into {@code blobs/ETAG.incomplete}, verified, renamed to {@code blobs/ETAG}, then linked.
 */
final class HubFiles {
    // FileChannel locks are per process: threads of one JVM also wait on the same lock file's monitor
    private static final Map<String, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final RepoId id;
    private final HubCache cache;
    private final HubClient client;
    private final DownloadListener listener;

    HubFiles(RepoId id, HubCache cache, HubClient client, DownloadListener listener) {
        this.id = id;
        this.cache = cache;
        this.client = client;
        this.listener = listener;
    }

    /**
     * The snapshot path of {@code file} at {@code revision}, downloaded if needed.
     * @throws HubClient.MissingEntry when the repository has no such file (recorded in {@code .no_exist})
     * @throws IOException when the Hub cannot be reached
     */
    Path fetch(String revision, String file) throws IOException {
        if (RepoId.isCommit(revision) && Files.exists(cache.pointer(revision, file))) {
            return cache.pointer(revision, file);
        }
        FileMetadata meta;
        try {
            meta = client.head(id, revision, file);
        } catch (HubClient.MissingEntry e) {
            String commit = e.commit != null ? e.commit : RepoId.isCommit(revision) ? revision : null;
            if (commit != null) {
                cache.writeRef(revision, commit);
                cache.markMissing(commit, file);
            }
            throw e;
        }
        cache.writeRef(revision, meta.commit());
        Path pointer = cache.pointer(meta.commit(), file);
        if (Files.exists(pointer)) {
            return pointer;
        }
        if (!Files.exists(cache.blob(meta.etag()))) {
            downloadLocked(file, meta);
        }
        cache.link(meta.commit(), file, meta.etag());
        return pointer;
    }

    private void downloadLocked(String file, FileMetadata meta) throws IOException {
        Path lockFile = cache.lock(meta.etag());
        Files.createDirectories(lockFile.getParent());
        synchronized (JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().toString(), k -> new Object())) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                Path blob = cache.blob(meta.etag());
                if (Files.exists(blob)) {
                    return; // another process finished it while this one waited
                }
                Path incomplete = cache.incomplete(meta.etag());
                client.download(id, file, meta, incomplete, listener);
                Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
