package org.mert4j.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The Hub's file endpoints over the JDK's HTTP client, as huggingface_hub uses them: {@code HEAD
 * {endpoint}/{repo}/resolve/{revision}/{file}} for the metadata (following only same-site redirects, as for a
 * renamed repository; a redirect to another site is where the bytes are), then {@code GET} of that location,
 * resumed with a {@code Range} request from what an earlier attempt left. The token goes only to the endpoint's
 * own host, never to the storage a redirect points at.
 */
final class HubClient {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    // checks every stalled download; daemon: it never keeps a JVM alive
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-download-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final String USER_AGENT = "mert4j; java/" + Runtime.version().feature();

    private final HubSettings settings;
    private final HttpClient http;

    HubClient(HubSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10))
                .proxy(ProxySelector.getDefault()).build();
    }

    URI resolveUrl(RepoId id, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(settings.endpoint() + "/" + id.repo() + "/resolve/" + encode(revision) + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The file's metadata; throws {@link HubException} for what the Hub refuses, IOException when unreachable. */
    FileMetadata head(RepoId id, String revision, String file) throws IOException {
        URI url = resolveUrl(id, revision, file);
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            HttpResponse<Void> r = send(request(url, "HEAD", 0).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = r.statusCode();
            if (status >= 300 && status < 400) {
                String location = r.headers().firstValue("Location").orElse(null);
                if (location == null) {
                    throw new HubException(HubException.Kind.BAD_RESPONSE, url + " answered " + status
                            + " without a Location header");
                }
                URI target = redirect(url, status, location);
                if (URI.create(location).getHost() == null) {
                    url = target; // same site: a renamed repository, follow it
                    continue;
                }
                return metadata(r, target, url, id, file);
            }
            raiseForStatus(r, url, id, revision, file);
            return metadata(r, url, url, id, file);
        }
        throw new HubException(HubException.Kind.BAD_RESPONSE, url + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static FileMetadata metadata(HttpResponse<?> r, URI location, URI url, RepoId id, String file) {
        String commit = r.headers().firstValue("X-Repo-Commit").orElse(null);
        String etag = FileMetadata.normalizeEtag(r.headers().firstValue("X-Linked-Etag")
                .orElse(r.headers().firstValue("ETag").orElse(null)));
        if (!RepoId.isCommit(commit) || etag == null || etag.isEmpty()) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, url + " answered without the headers a Hugging"
                    + " Face Hub sends (X-Repo-Commit: " + shown(commit) + ", ETag: " + shown(etag) + "): is"
                    + " HF_ENDPOINT (" + url.getScheme() + "://" + url.getAuthority() + ") a Hub or a mirror of one?");
        }
        if (!SAFE_ETAG.matcher(etag).matches()) { // the ETag names the blob file: never a path or an odd name
            throw new HubException(HubException.Kind.BAD_RESPONSE, url + " answered with the ETag '" + shown(etag)
                    + "', which cannot name a file in the cache (expected up to 128 letters, digits, '.', '_', '-',"
                    + " as the Hub's sha1 and sha256 ETags): is HF_ENDPOINT (" + url.getScheme() + "://"
                    + url.getAuthority() + ") a Hub or a mirror of one?");
        }
        String size = r.headers().firstValue("X-Linked-Size").orElse(r.headers().firstValue("Content-Length")
                .orElse("-1"));
        long bytes;
        try {
            bytes = Long.parseLong(size.strip());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        return new FileMetadata(commit, etag, bytes, location);
    }

    /**
     * Downloads a file into {@code incomplete}, continuing from its length, resuming after a broken connection up
     * to {@link HubSettings#retries} times; checks the size and, for LFS files, the sha256.
     */
    void download(RepoId id, String file, FileMetadata meta, Path incomplete, DownloadListener listener)
            throws IOException {
        Files.createDirectories(incomplete.getParent());
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (meta.size() >= 0 && have > meta.size()) {
            Files.delete(incomplete); // longer than the file: not a part of it
            have = 0;
        }
        listener.started(id.repo(), file, meta.size(), have);
        for (int attempt = 0; ; attempt++) {
            try {
                if (meta.size() < 0 || have < meta.size()) {
                    fetch(meta.location(), incomplete, have, meta.size(), listener);
                }
                break;
            } catch (IOException e) {
                have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
                if (attempt >= settings.retries()) {
                    throw new HubException(HubException.Kind.NETWORK, "download of " + id.repo() + " " + file
                            + " broke off at " + have + (meta.size() >= 0 ? " of " + meta.size() : "") + " bytes ("
                            + describe(e) + "); run the command again to resume from there (the part is kept in "
                            + incomplete + ")", e);
                }
                listener.warning("download of " + file + " broke off at " + have + " bytes (" + describe(e)
                        + "), resuming");
                pause();
            }
        }
        verify(id, file, meta, incomplete);
        listener.finished();
    }

    /**
     * Copies the body, stopping at {@code size} bytes of the file (when known: more is never written); a body that
     * sends nothing for the read timeout is closed, which ends the read with an IOException (resumed as a break).
     */
    private void copy(InputStream in, OutputStream out, long done, long size, DownloadListener listener)
            throws IOException {
        long timeout = settings.readTimeout().toNanos();
        AtomicLong last = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long every = Math.max(10, Math.min(1000, settings.readTimeout().toMillis() / 4));
        ScheduledFuture<?> watch = WATCHDOG.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - last.get() > timeout && !stalled.getAndSet(true)) {
                try {
                    in.close(); // wakes the blocked read
                } catch (IOException e) {
                    // closing is all that is wanted
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            byte[] buf = new byte[1 << 16];
            while (size < 0 || done < size) {
                int n = in.read(buf, 0, (int) (size < 0 ? buf.length : Math.min(buf.length, size - done)));
                if (n < 0) {
                    break;
                }
                last.set(System.nanoTime());
                out.write(buf, 0, n);
                done += n;
                listener.progress(done);
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("nothing received for " + seconds(settings.readTimeout())
                        + " (HF_HUB_DOWNLOAD_TIMEOUT)", e);
            }
            throw e;
        } finally {
            watch.cancel(false);
        }
        if (stalled.get() && (size < 0 || done < size)) { // the close ended the body early: a break, resumed
            throw new IOException("nothing received for " + seconds(settings.readTimeout())
                    + " (HF_HUB_DOWNLOAD_TIMEOUT)");
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** The target of a redirect: only an http or https URL is followed; anything else is a clear error. */
    private static URI redirect(URI from, int status, String location) {
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, from + " answered " + status + " with a Location"
                    + " that is not a URL ('" + shown(location) + "': " + e.getMessage() + ")");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, from + " answered " + status + " with a redirect"
                    + " to '" + shown(location) + "'; only http and https URLs are followed");
        }
        return target;
    }

    /** A header value as an error message shows it: control characters escaped, at most 80 characters. */
    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.length() > 80 ? b.substring(0, 77) + "... (" + value.length() + " characters)" : b.toString();
    }

    private void fetch(URI location, Path incomplete, long have, long size, DownloadListener listener)
            throws IOException {
        URI url = location;
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            HttpResponse<InputStream> r = send(request(url, "GET", have).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = r.statusCode();
            if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
                r.body().close();
                url = redirect(url, status, r.headers().firstValue("Location").get());
                continue;
            }
            if (status == 416 && have > 0) {
                r.body().close(); // nothing past what we have: the size check decides whether it is whole
                return;
            }
            if (status >= 400) {
                r.body().close();
                raiseForStatus(r, url, null, null, incomplete.getFileName().toString());
            }
            boolean append = status == 206 && rangeStartsAt(r, have);
            long done = append ? have : 0; // a server that ignored the Range sent the whole file again
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (size >= 0 && length >= 0 && done + length != size) {
                r.body().close();
                throw new HubException(HubException.Kind.CORRUPT, url + " would send " + (done + length) + " bytes of"
                        + " the file (Content-Length " + length + (append ? " after " + done : "") + ") but the Hub"
                        + " announced " + size + "; nothing was written");
            }
            try (InputStream in = r.body();
                 OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                copy(in, out, done, size, listener);
            }
            return;
        }
        throw new IOException(location + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static boolean rangeStartsAt(HttpResponse<?> r, long have) {
        // Content-Range: bytes START-END/TOTAL
        String range = r.headers().firstValue("Content-Range").orElse("");
        return range.matches("bytes " + have + "-\\d+/(\\d+|\\*)");
    }

    private static void verify(RepoId id, String file, FileMetadata meta, Path incomplete) throws IOException {
        long size = Files.size(incomplete);
        if (meta.size() >= 0 && size != meta.size()) {
            Files.delete(incomplete);
            throw new HubException(HubException.Kind.CORRUPT, id.repo() + " " + file + ": downloaded " + size
                    + " bytes but the Hub announced " + meta.size() + "; the download was removed, run again");
        }
        if (meta.sha256()) {
            String got = sha256(incomplete);
            if (!got.equals(meta.etag())) {
                Files.delete(incomplete);
                throw new HubException(HubException.Kind.CORRUPT, id.repo() + " " + file + ": downloaded bytes have"
                        + " sha256 " + got + " but the Hub says " + meta.etag() + "; the download was removed, run again");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(URI url, String method, long rangeFrom) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity");
        if (rangeFrom > 0) {
            b.header("Range", "bytes=" + rangeFrom + "-");
        }
        if (settings.token() != null && sameSite(url, settings.endpoint())) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b;
    }

    private static boolean sameSite(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void pause() throws IOException {
        try {
            Thread.sleep(settings.retryWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** What the Hub's status and {@code X-Error-Code} mean, as a {@link HubException}; 2xx passes. */
    private void raiseForStatus(HttpResponse<?> r, URI url, RepoId id, String revision, String file) {
        int status = r.statusCode();
        if (status < 300) {
            return;
        }
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String said = r.headers().firstValue("X-Error-Message").map(m -> " (\"" + m + "\")").orElse("");
        String repo = id == null ? "the repository" : id.repo();
        String answered = url + " answered " + status + said;
        String tokenHint = settings.token() == null ? "set HF_TOKEN to a token that can read it"
                : "the token in HF_TOKEN was not accepted for it";
        switch (code) {
            case "RepoNotFound" -> throw new HubException(HubException.Kind.REPO_NOT_FOUND, "no model repository '"
                    + repo + "' on " + settings.endpoint() + " (" + answered + "): check the id; if it is private"
                    + " or gated, " + tokenHint);
            case "RevisionNotFound" -> throw new HubException(HubException.Kind.REVISION_NOT_FOUND, repo
                    + " has no revision '" + revision + "' (" + answered + ")");
            case "EntryNotFound" -> throw new MissingEntry(repo + " has no file " + file + " at " + revision + " ("
                    + answered + ")", r.headers().firstValue("X-Repo-Commit").orElse(null));
            case "GatedRepo" -> throw new HubException(HubException.Kind.UNAUTHORIZED, "access to " + repo
                    + " is restricted (" + answered + "): accept its conditions on the Hub, then " + tokenHint);
            default -> {
                // fall through to the status
            }
        }
        if (status == 401 || status == 403) {
            throw new HubException(HubException.Kind.UNAUTHORIZED, answered + ": " + repo + " needs a token: "
                    + tokenHint);
        }
        if (status == 404) {
            throw new MissingEntry(answered + (file == null ? "" : ": no file " + file), null);
        }
        throw new HubException(HubException.Kind.BAD_RESPONSE, answered + String.format(Locale.ROOT,
                "; try again later, or check HF_ENDPOINT (%s)", settings.endpoint()));
    }

    /** The Hub has no such file; carries the commit it looked at, so that the cache can remember the absence. */
    static final class MissingEntry extends HubException {
        final String commit;

        MissingEntry(String message, String commit) {
            super(Kind.ENTRY_NOT_FOUND, message);
            this.commit = RepoId.isCommit(commit) ? commit : null;
        }
    }
}
