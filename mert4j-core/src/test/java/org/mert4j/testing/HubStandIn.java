package org.mert4j.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the Hugging Face Hub's file endpoints on the loopback interface, serving model folders as
 * repositories the way the Hub does: {@code HEAD|GET /{repo}/resolve/{revision}/{file}} with {@code X-Repo-Commit},
 * an {@code ETag} (the git blob sha1) for small files, and for weights ({@code .safetensors}, {@code .bin}) a 302 to
 * an absolute URL on a second server (the "CDN", another origin as on the real Hub) with {@code X-Linked-Etag} (the sha256) and {@code X-Linked-Size}; 404s with
 * {@code X-Error-Code} RepoNotFound / RevisionNotFound / EntryNotFound; a private repository answers 401 unless the
 * bearer token matches; Range requests; and a connection cut once after a number of bytes of a chosen file.
 */
public final class HubStandIn implements AutoCloseable {
    /** One served file. */
    public record Served(byte[] bytes, String etag, boolean lfs) {}

    private final HttpServer server;
    private final HttpServer cdnServer;
    private final Map<String, Map<String, Served>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> commits = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Served> cdn = new ConcurrentHashMap<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    private HubStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        cdnServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdnServer.createContext("/", this::handle);
        cdnServer.start();
    }

    public static HubStandIn start() throws IOException {
        return new HubStandIn();
    }

    /** Serves the files of {@code folder} (not its sub-folders) as {@code repo} at branch main. */
    public HubStandIn serve(String repo, Path folder) throws IOException {
        return serve(repo, folder, null);
    }

    /**
     * Serves the files of {@code folder} as {@code repo} with main at {@code commit} (a 40-hex hash; null: one
     * derived from the repository's name and file names).
     */
    public HubStandIn serve(String repo, Path folder, String commit) throws IOException {
        Map<String, Served> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                byte[] bytes = Files.readAllBytes(p);
                boolean lfs = name.endsWith(".safetensors") || name.endsWith(".bin");
                files.put(name, new Served(bytes, lfs ? sha256(bytes) : gitBlobSha1(bytes), lfs));
            }
        }
        repos.put(repo, files);
        commits.put(repo, commit != null ? commit
                : hex("SHA-1", ("commit of " + repo + " " + files.keySet()).getBytes(StandardCharsets.UTF_8)));
        for (Served f : files.values()) {
            if (f.lfs()) {
                cdn.put(f.etag(), f);
            }
        }
        return this;
    }

    /** Makes {@code repo} private: requests without {@code Authorization: Bearer token} get a 401. */
    public HubStandIn requireToken(String repo, String token) {
        tokens.put(repo, token);
        return this;
    }

    /** The next download of {@code file} (by its blob) stops after {@code bytes} bytes, the connection closed. */
    public HubStandIn cutOnce(String repo, String file, long bytes) {
        cuts.put(repos.get(repo).get(file).etag(), bytes);
        return this;
    }

    public String endpoint() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public String commit(String repo) {
        return commits.get(repo);
    }

    public Served file(String repo, String name) {
        return repos.get(repo).get(name);
    }

    /** Every request so far as "METHOD PATH" plus " range=..." and " auth" when those headers were sent. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        cdnServer.stop(0);
    }

    /** The name git gives a blob, which the Hub sends as the ETag of files not stored in LFS. */
    public static String gitBlobSha1(byte[] bytes) {
        byte[] head = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return hex("SHA-1", all);
    }

    public static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String range = x.getRequestHeaders().getFirst("Range");
            String auth = x.getRequestHeaders().getFirst("Authorization");
            requests.add(x.getRequestMethod() + " " + path + (range != null ? " range=" + range : "")
                    + (auth != null ? " auth" : ""));
            boolean head = x.getRequestMethod().equals("HEAD");
            if (path.startsWith("/cdn/")) {
                Served f = cdn.get(path.substring("/cdn/".length()));
                if (f == null) {
                    empty(x, 404);
                } else {
                    body(x, f, head, range);
                }
                return;
            }
            // /{org}/{name}/resolve/{revision}/{file}
            String[] parts = path.substring(1).split("/", 5);
            if (parts.length < 5 || !parts[2].equals("resolve")) {
                empty(x, 404);
                return;
            }
            String repo = parts[0] + "/" + parts[1];
            String revision = java.net.URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
            String file = java.net.URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
            Map<String, Served> files = repos.get(repo);
            if (files == null) {
                error(x, 404, "RepoNotFound", "Repository not found", null);
                return;
            }
            String token = tokens.get(repo);
            if (token != null && !("Bearer " + token).equals(auth)) {
                empty(x, 401);
                return;
            }
            String commit = commits.get(repo);
            if (!revision.equals("main") && !revision.equals(commit)) {
                error(x, 404, "RevisionNotFound", "Invalid rev id: " + revision, null);
                return;
            }
            Served f = files.get(file);
            if (f == null) {
                error(x, 404, "EntryNotFound", "Entry not found", commit);
                return;
            }
            x.getResponseHeaders().add("X-Repo-Commit", commit);
            if (f.lfs()) {
                x.getResponseHeaders().add("X-Linked-Etag", "\"" + f.etag() + "\"");
                x.getResponseHeaders().add("X-Linked-Size", Long.toString(f.bytes().length));
                x.getResponseHeaders().add("ETag", "\"" + gitBlobSha1(("lfs pointer " + f.etag()).getBytes(
                        StandardCharsets.UTF_8)) + "\"");
                x.getResponseHeaders().add("Location", "http://" + cdnServer.getAddress().getHostString() + ":"
                        + cdnServer.getAddress().getPort() + "/cdn/" + f.etag());
                empty(x, 302);
                return;
            }
            x.getResponseHeaders().add("ETag", "\"" + f.etag() + "\"");
            body(x, f, head, range);
        }
    }

    private void body(HttpExchange x, Served f, boolean head, String range) throws IOException {
        byte[] b = f.bytes();
        int from = 0;
        int status = 200;
        if (range != null && range.matches("bytes=\\d+-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= b.length) {
                x.getResponseHeaders().add("Content-Range", "bytes */" + b.length);
                empty(x, 416);
                return;
            }
            status = 206;
            x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
        }
        x.getResponseHeaders().add("Accept-Ranges", "bytes");
        if (head) {
            x.getResponseHeaders().add("Content-Length", Long.toString(b.length - from));
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, b.length - from);
        OutputStream out = x.getResponseBody();
        Long cut = cuts.remove(f.etag());
        if (cut != null && cut < b.length - from) {
            out.write(b, from, (int) (long) cut);
            out.flush();
            // end the exchange mid-body: the server drops the connection, the client sees a short read
            throw new IOException("stand-in cut the connection after " + cut + " bytes");
        }
        out.write(b, from, b.length - from);
    }

    private static void error(HttpExchange x, int status, String code, String message, String commit)
            throws IOException {
        x.getResponseHeaders().add("X-Error-Code", code);
        x.getResponseHeaders().add("X-Error-Message", message);
        if (commit != null) {
            x.getResponseHeaders().add("X-Repo-Commit", commit);
        }
        empty(x, status);
    }

    private static void empty(HttpExchange x, int status) throws IOException {
        x.sendResponseHeaders(status, -1);
    }
}
