package org.mert4j.hub;

import java.net.URI;

/**
 * What the Hub says of one file at a revision, from the headers of {@code HEAD /{repo}/resolve/{revision}/{file}}.
 *
 * @param commit   the commit the revision resolved to ({@code X-Repo-Commit})
 * @param etag     the blob's name: {@code X-Linked-Etag} (an LFS file's sha256) or else {@code ETag}, quotes and a
 *                 weak {@code W/} prefix removed
 * @param size     bytes ({@code X-Linked-Size} or {@code Content-Length}), -1 when not said
 * @param location where the bytes are: the redirect target (a CDN for LFS files) or the resolve URL itself
 */
public record FileMetadata(String commit, String etag, long size, URI location) {
    /** Whether the ETag is a sha256 (LFS files), which the downloaded bytes must then match. */
    public boolean sha256() {
        return etag.matches("[0-9a-f]{64}");
    }

    /** huggingface_hub's _normalize_etag: a weak {@code W/} prefix and the quotes go. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }
}
