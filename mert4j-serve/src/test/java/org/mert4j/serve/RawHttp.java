package org.mert4j.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client never sends: odd methods, any Host header,
 * malformed or trickled bodies, connections dropped halfway.
 */
final class RawHttp implements AutoCloseable {
    /** A response as read off the socket. */
    record Reply(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** One request with {@code Connection: close}: head, then the body's bytes as they are. */
    static Reply exchange(int port, String head, byte[] body) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            c.send(head.getBytes(StandardCharsets.ISO_8859_1));
            c.send(body);
            return c.reply();
        }
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Ends the request side, as a client whose body ran out. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Everything up to the end of the connection, or null when it closed without a byte. */
    Reply reply() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (IOException e) {
            // a reset after the answer: keep what came
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return text.isEmpty() ? null : new Reply(-1, text, "");
        }
        String head = text.substring(0, end);
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(new Reply(0, head, "").header("Transfer-Encoding"))) {
            body = unchunk(body);
        }
        return new Reply(Integer.parseInt(head.split(" ", 3)[1]), head, body);
    }

    private static String unchunk(String chunked) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            b.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
