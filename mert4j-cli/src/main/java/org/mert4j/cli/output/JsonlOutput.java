package org.mert4j.cli.output;

import org.mert4j.io.AtomicFiles;
import org.mert4j.io.EmbeddingJson;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * All inputs in one JSON Lines file, one object per input:
 * {@code {"path", "duration_s", "shape", "layers", "embedding"}} or {@code {"path", "error"}}.
 * <p>A rerun keeps the lines that hold an embedding and skips their paths; error lines and a half-written
 * last line (a killed run) are dropped by rewriting the file atomically, so those inputs are retried.
 * Each new line goes out in a single write and is flushed.
 */
public final class JsonlOutput implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final Set<String> done = new HashSet<>();
    private final OutputStream out;

    public JsonlOutput(Path file, boolean overwrite) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file) && !overwrite) {
            keepCompleteLines();
            out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } else {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
    }

    public Path file() {
        return file;
    }

    /** Whether an earlier run already wrote the embedding of this path. */
    public boolean has(String path) {
        return done.contains(path);
    }

    public synchronized void write(Embedding e) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 14);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("path", e.input().display());
            g.writeNumberField("duration_s", e.durationSeconds());
            EmbeddingJson.writeFields(g, e.values(), e.layers());
            g.writeEndObject();
        }
        writeLine(buf);
        done.add(e.input().display());
    }

    public synchronized void writeError(String path, String reason) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("path", path);
            g.writeStringField("error", reason);
            g.writeEndObject();
        }
        writeLine(buf);
    }

    private void writeLine(ByteArrayOutputStream buf) throws IOException {
        buf.write('\n');
        out.write(buf.toByteArray());
        out.flush();
    }

    private void keepCompleteLines() throws IOException {
        List<String> kept = new ArrayList<>();
        boolean dropped = false;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String path = embeddedPath(line);
                if (path != null) {
                    kept.add(line);
                    done.add(path);
                } else {
                    dropped = true;
                }
            }
        }
        long size = Files.size(file);
        if (!dropped && size > 0 && lastByte() != '\n') {
            dropped = true; // a complete object without its newline: rewrite so appends start on a new line
        }
        if (dropped) {
            AtomicFiles.write(file, o -> {
                for (String l : kept) {
                    o.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                }
            });
        }
    }

    private byte lastByte() throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0);
        }
    }

    /** The path of a complete line holding an embedding, or null for an error line or a broken one. */
    private static String embeddedPath(String line) {
        if (line.isBlank()) {
            return null;
        }
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String path = null;
            boolean hasEmbedding = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("path") && value == JsonToken.VALUE_STRING) {
                    path = p.getText();
                } else if (name.equals("embedding") && value == JsonToken.START_ARRAY) {
                    hasEmbedding = true;
                }
                p.skipChildren();
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return hasEmbedding ? path : null;
        } catch (IOException e) {
            return null; // a half-written line
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
