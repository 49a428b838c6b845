package org.mert4j.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;

/** The tiny example model behind servers started for one test, and what those tests ask them. */
final class ServeFixture {
    static final Path MODEL = Path.of("..", "examples", "tiny-mert");
    static final Path CHORDS = Path.of("..", "examples", "audio", "chords-24k.flac");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeFixture() {
    }

    /** Settings as the command's defaults, on any free port of 127.0.0.1. */
    static ServeSettings.Builder settings() {
        return ServeSettings.builder().host("127.0.0.1").port(0);
    }

    static MertServer start(MertModel mert, ServeSettings settings) throws Exception {
        return start(mert, settings, encoder(mert));
    }

    static MertServer start(MertModel mert, ServeSettings settings, BatchEncoder encoder) throws Exception {
        return MertServer.start(settings, mert.config(), "tiny-mert", encoder, null, null);
    }

    static BatchEncoder encoder(MertModel mert) {
        int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
        return (w, pool) -> mert.encodeWindows(w, all, pool);
    }

    static HttpResponse<String> get(MertServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base(server) + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(MertServer server, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base(server) + path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String base(MertServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** A value of the exposition at /metrics (a line {@code name value}), or -1 when there is none. */
    static double metric(MertServer server, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(get(server, "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** A 16-bit mono WAV of {@code samples} zeros whose header claims {@code rate} Hz. */
    static byte[] silentWav(int rate, int samples) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        int data = 2 * samples;
        h.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes()).putInt(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + data);
        out.write(h.array());
        out.write(new byte[data]);
        return out.toByteArray();
    }

    /** The {@code error} field of a JSON error answer. */
    static String error(String body) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("error").asText();
    }

    /** The head of a raw HTTP/1.1 POST of {@code length} body bytes, for clients that send the body themselves. */
    static String rawPost(String path, int length, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " + length
                + "\r\n" + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
