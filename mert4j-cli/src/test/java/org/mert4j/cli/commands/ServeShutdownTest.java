package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mert4j.cli.options.ExitCode;

import org.junit.jupiter.api.Test;

/**
 * {@code mert serve} as its own process: SIGTERM lets the request in flight finish, then the process exits with
 * status 0, as after SIGINT.
 */
class ServeShutdownTest {
    static final Path CHORDS = Path.of("..", "examples", "audio", "chords-24k.flac");

    @Test
    void sigtermDrainsTheRequestInFlightThenExits() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // --max-wait-ms 3000: each window of a lone request waits 3 s for company, so the request is still
        // in flight when the signal comes
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.mert4j.cli.Main", "serve", "--model", Path.of("..", "examples", "tiny-mert").toString(),
                "--port", "0", "--max-wait-ms", "3000", "--threads", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            Matcher listening = null;
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = Pattern.compile("listening on (http://\\S+/)").matcher(line);
                if (m.find()) {
                    listening = m;
                    break;
                }
            }
            assertNotNull(listening, log::toString);
            String base = listening.group(1);
            CompletableFuture<String> drain = CompletableFuture.supplyAsync(() -> {
                StringBuilder rest = new StringBuilder();
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        rest.append(line).append('\n');
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
                return rest.toString();
            });
            HttpClient http = HttpClient.newHttpClient();
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(base + "v1/embed")).POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(CHORDS)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            awaitInFlight(http, base);
            // SIGTERM by kill: Process.destroy would also close our end of its output, losing the lines after it
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            HttpResponse<String> r = inFlight.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"embedding\""), r.body());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            assertTrue((System.nanoTime() - start) / 1e9 >= 3, "the request did not wait for company as configured");
            assertEquals(0, p.exitValue(), "exit status after SIGTERM, as --help says\n" + log + drain.get());
            String rest = drain.get(10, TimeUnit.SECONDS);
            // a line per request (path, never the query), and the stop said as it begins and ends
            assertTrue(Pattern.compile("\"POST /v1/embed\" 200 \\d+ \\d+ms").matcher(rest).find(), rest);
            assertTrue(Pattern.compile("\"GET /metrics\" 200").matcher(rest).find(), rest);
            assertTrue(rest.indexOf("mert serve: stopping") < rest.indexOf("mert serve: stopped after")
                    && rest.contains("mert serve: stopping"), rest);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigintStopsTheServerWithExitStatusZero() throws Exception {
        Process p = start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String log = awaitListening(out);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start(); // Ctrl-C
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not exit after SIGINT");
            assertEquals(0, p.exitValue(), "exit status after SIGINT, as --help says\n" + log);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aPortInUseIsRefusedNamingThePortOption() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result r = Cli.run("serve", "--model", Path.of("..", "examples", "tiny-mert").toString(), "--port",
                    Integer.toString(taken.getLocalPort()), "--threads", "1");
            assertEquals(ExitCode.USAGE, r.exitCode(), r.toString());
            assertTrue(r.err().contains("in use") && r.err().contains("--port"), r.toString());
        }
    }

    private static Process start() throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.mert4j.cli.Main", "serve", "--model", Path.of("..", "examples", "tiny-mert").toString(),
                "--port", "0", "--threads", "1");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static String awaitListening(BufferedReader out) throws java.io.IOException {
        StringBuilder log = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            log.append(line).append('\n');
            if (line.contains("listening on http://")) {
                return log.toString();
            }
        }
        throw new AssertionError("the server never listened:\n" + log);
    }

    /** Waits until the server counts a request waiting for the model. */
    private static void awaitInFlight(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher q = Pattern.compile("(?m)^mert_queue_length (\\d+)(?:\\.0)?$").matcher(metrics);
            if (q.find() && Integer.parseInt(q.group(1)) > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the request never reached the server");
    }
}
