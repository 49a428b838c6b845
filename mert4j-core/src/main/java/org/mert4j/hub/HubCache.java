package org.mert4j.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.mert4j.io.AtomicFiles;

/**
 * One repository's folder in the cache, in huggingface_hub's layout, so that either side reads what the
 * other wrote:
 * <pre>
 * HF_HUB_CACHE/models--org--name/
 *   blobs/ETAG                     file contents, named by the ETag (the sha256 of LFS files)
 *   blobs/ETAG.incomplete          a download under way or interrupted (resumed from its length)
 *   snapshots/COMMIT/FILE          relative symlinks ../../blobs/ETAG
 *   refs/REVISION                  the commit hash a branch or tag pointed to (no newline)
 *   .no_exist/COMMIT/FILE          empty: the Hub said this file does not exist at that commit
 * HF_HUB_CACHE/.locks/models--org--name/ETAG.lock
 * </pre>
 */
final class HubCache {
    private final Path root;
    private final RepoId id;
    private final Path dir;

    HubCache(Path root, RepoId id) {
        this.root = root;
        this.id = id;
        this.dir = root.resolve(id.folderName());
    }

    Path dir() {
        return dir;
    }

    Path blob(String etag) {
        return dir.resolve("blobs").resolve(etag);
    }

    Path incomplete(String etag) {
        return dir.resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lock(String etag) {
        return root.resolve(".locks").resolve(id.folderName()).resolve(etag + ".lock");
    }

    Path snapshot(String commit) {
        return dir.resolve("snapshots").resolve(commit);
    }

    Path pointer(String commit, String file) {
        return snapshot(commit).resolve(file);
    }

    Path noExist(String commit, String file) {
        return dir.resolve(".no_exist").resolve(commit).resolve(file);
    }

    /** The commit a revision names: itself when it is a commit hash, else what refs/REVISION says. */
    Optional<String> commit(String revision) {
        if (RepoId.isCommit(revision)) {
            return Optional.of(revision);
        }
        Path ref = dir.resolve("refs").resolve(revision);
        try {
            if (Files.isRegularFile(ref)) {
                String c = Files.readString(ref, StandardCharsets.UTF_8).strip();
                return RepoId.isCommit(c) ? Optional.of(c) : Optional.empty();
            }
        } catch (IOException e) {
            // an unreadable ref is a missing one: the caller says the revision is not cached
        }
        return Optional.empty();
    }

    /** Records that {@code revision} (a branch or tag) points at {@code commit}, as huggingface_hub does. */
    void writeRef(String revision, String hash) throws IOException {
        if (revision.equals(hash) || commit(revision).filter(hash::equals).isPresent()) {
            return;
        }
        byte[] bytes = hash.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("refs").resolve(revision), out -> out.write(bytes));
    }

    void markMissing(String commit, String file) throws IOException {
        Path marker = noExist(commit, file);
        Files.createDirectories(marker.getParent());
        try {
            Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
            // already recorded
        }
    }

    /**
     * Points {@code snapshots/COMMIT/FILE} at a blob with a relative link ({@code ../../blobs/ETAG}), made under a
     * temporary name and renamed, so the snapshot never holds a half-made entry. Where the file system has no
     * symbolic links the blob is copied, as huggingface_hub does.
     */
    void link(String commit, String file, String etag) throws IOException {
        Path pointer = pointer(commit, file);
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob(etag));
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + ProcessHandle.current().pid() + ".link");
        Files.deleteIfExists(tmp);
        try {
            Files.createSymbolicLink(tmp, target);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob(etag), tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, pointer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
