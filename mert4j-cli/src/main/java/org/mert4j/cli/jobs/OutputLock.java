package org.mert4j.cli.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.mert4j.cli.options.UsageException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lock file {@value #FILE_NAME} a command holds in the folder it writes into, so that a second
 * {@code mert} process cannot interleave its outputs with the first one's. The file names the owner
 * (pid, host, command, start time). A second writer is refused with that description; a lock left by a
 * process that died (same host, pid no longer running) is taken over with a message.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE_NAME = ".mert.lock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean createdFolder;
    private final Thread cleanup;
    private boolean released;

    private OutputLock(Path file, boolean createdFolder) {
        this.file = file;
        this.createdFolder = createdFolder;
        // a run stopped with Ctrl-C leaves no lock behind (kill -9 does: the next run takes it over)
        this.cleanup = new Thread(this::deleteIfOurs, "mert-lock-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Takes the lock of {@code dir} (created if missing) for {@code command}.
     *
     * @throws UsageException naming the owner if another live process holds it
     */
    public static OutputLock acquire(Path dir, String command, PrintWriter err) throws IOException {
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(ownerRecord(command));
        for (int attempt = 0; attempt < 2; attempt++) {
            if (create(file, body)) {
                return new OutputLock(file, created);
            }
            Optional<JsonNode> owner = readOwner(file);
            if (owner.isEmpty()) {
                continue; // released between our attempt and the read
            }
            if (!isStale(owner.get())) {
                throw new UsageException(dir + " is being written by another " + describe(owner.get()) + " (lock file "
                        + file + "); wait for it to finish, or remove the lock file if that process is gone");
            }
            err.println(command + ": taking over the lock of a process that is no longer running ("
                    + describe(owner.get()) + ")");
            err.flush();
            Files.deleteIfExists(file);
        }
        throw new UsageException(file + ": cannot take the lock: another process keeps creating it");
    }

    /** Creates the lock file with its content in one step: false if it exists. */
    private static boolean create(Path file, byte[] body) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".mert.lock.", ".tmp");
        try {
            Files.write(tmp, body);
            try {
                Files.createLink(file, tmp); // atomic: fails if the lock exists, never shows a half-written lock
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException noLinks) {
                // a file system without hard links: exclusive creation, then the content
                try {
                    Files.write(file, body, java.nio.file.StandardOpenOption.CREATE_NEW);
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ObjectNode ownerRecord(String command) {
        ProcessHandle self = ProcessHandle.current();
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", self.pid());
        n.put("host", hostName());
        n.put("command", command);
        n.put("started", Instant.now().toString());
        self.info().startInstant().ifPresent(t -> n.put("process_start", t.toString()));
        return n;
    }

    private static Optional<JsonNode> readOwner(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n != null && n.isObject()) {
                return Optional.of(n);
            }
        } catch (IOException ignored) {
            // fall through: an unreadable lock is reported as held by an unknown owner
        }
        return Optional.of(JSON.createObjectNode().put("command", "process (unreadable lock file: "
                + new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.UTF_8).strip() + ")"));
    }

    /** Dead owners on this host only: a process on another host cannot be checked from here. */
    static boolean isStale(JsonNode owner) {
        if (!owner.has("pid") || !hostName().equals(owner.path("host").asText())) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(owner.get("pid").asLong());
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        // the pid may have been reused by an unrelated process since the owner died
        String recorded = owner.path("process_start").asText(null);
        Optional<Instant> start = p.get().info().startInstant();
        return recorded != null && start.isPresent() && !start.get().toString().equals(recorded);
    }

    private static String describe(JsonNode owner) {
        StringBuilder s = new StringBuilder(owner.path("command").asText("mert"));
        if (owner.has("pid")) {
            s.append(" (pid ").append(owner.get("pid").asLong()).append(" on ").append(owner.path("host").asText("?"));
            if (owner.has("started")) {
                s.append(", started ").append(owner.get("started").asText());
            }
            s.append(')');
        }
        return s.toString();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = System.getenv("HOSTNAME");
            return h != null && !h.isBlank() ? h.strip() : "localhost";
        }
    }

    public Path file() {
        return file;
    }

    private synchronized void deleteIfOurs() {
        if (released) {
            return;
        }
        released = true;
        try {
            Optional<JsonNode> owner = readOwner(file);
            if (owner.isPresent() && owner.get().path("pid").asLong(-1) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
                if (createdFolder) {
                    deleteIfEmpty(file.getParent()); // a run that wrote nothing leaves no empty folder behind
                }
            }
        } catch (IOException ignored) {
            // nothing more can be done about a lock that cannot be read back; the next run reports it
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (java.nio.file.DirectoryNotEmptyException ignored) {
            // something was written meanwhile: keep it
        }
    }

    @Override
    public void close() {
        deleteIfOurs();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
