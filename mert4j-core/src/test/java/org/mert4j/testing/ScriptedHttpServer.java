package org.mert4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An HTTP/1.1 server on the loopback interface that answers each request with whatever bytes a script writes,
 * for servers that misbehave in ways a well-formed server library will not: a body that stalls, a body longer
 * than announced, odd headers. One request per connection; the connection is closed when the script returns.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /** Writes the whole answer (status line, headers, body) to {@code out}. */
    public interface Script {
        void answer(String method, String path, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    private ScriptedHttpServer(Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "scripted-http");
        accept.setDaemon(true);
        accept.start();
    }

    public static ScriptedHttpServer start(Script script) throws IOException {
        return new ScriptedHttpServer(script);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Every request so far as "METHOD PATH". */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The bytes of {@code text} in ISO-8859-1, as HTTP headers are written. */
    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-http-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String[] line = readHead(s.getInputStream()).split(" ");
            requests.add(line[0] + " " + (line.length > 1 ? line[1] : ""));
            OutputStream out = s.getOutputStream();
            script.answer(line[0], line.length > 1 ? line[1] : "", out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is closing
        } finally {
            open.remove(s);
        }
    }

    /** The request line; the rest of the head is read and dropped (the client sends no body). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int c;
        while (state < 4 && (c = in.read()) >= 0) {
            head.write(c);
            state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : c == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
