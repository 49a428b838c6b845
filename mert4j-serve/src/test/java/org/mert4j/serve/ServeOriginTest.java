package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code mert serve} against DNS rebinding and cross-site requests, over real HTTP with the tiny example model. */
class ServeOriginTest extends ServeModelTest {

    // ---- DNS rebinding and cross-site requests

    @Test
    void foreignHostNamesAndCrossSitePostsAre403() throws Exception {
        try (MertServer s = ServeFixture.start(mert, ServeFixture.settings().allowedHosts(List.of("music.example"))
                .build())) {
            int port = s.port();
            for (String host : List.of("attacker.example", "attacker.example:" + port, "127.0.0.1.attacker.example")) {
                RawHttp.Reply r = RawHttp.exchange(port, "GET /v1/info HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n", new byte[0]);
                assertEquals(403, r.status(), host + ": " + r.body());
                assertTrue(ServeFixture.error(r.body()).contains("--allowed-host"), r.body());
            }
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "music.example",
                    "MUSIC.example:" + port)) {
                RawHttp.Reply r = RawHttp.exchange(port, "GET /v1/info HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n", new byte[0]);
                assertEquals(200, r.status(), host + ": " + r.body());
            }
            RawHttp.Reply health = RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: attacker.example\r\n"
                    + "Connection: close\r\n\r\n", new byte[0]);
            assertEquals(200, health.status());

            // what a page of another site can send without asking: a text/plain POST
            RawHttp.Reply origin = RawHttp.exchange(port, ServeFixture.rawPost("/v1/embed", chords.length, "Content-Type: text/plain",
                    "Origin: http://attacker.example"), chords);
            assertEquals(403, origin.status(), origin.body());
            RawHttp.Reply fetchSite = RawHttp.exchange(port, ServeFixture.rawPost("/v1/embed", chords.length,
                    "Content-Type: text/plain", "Sec-Fetch-Site: cross-site"), chords);
            assertEquals(403, fetchSite.status(), fetchSite.body());
            RawHttp.Reply nullOrigin = RawHttp.exchange(port, ServeFixture.rawPost("/v1/embed", chords.length, "Origin: null"), chords);
            assertEquals(403, nullOrigin.status(), nullOrigin.body());
            // the server's own page, and clients that are not browsers
            RawHttp.Reply own = RawHttp.exchange(port, "POST /v1/embed HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nOrigin: http://127.0.0.1:" + port + "\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n"
                    + "Content-Length: " + chords.length + "\r\n\r\n", chords);
            assertEquals(200, own.status(), own.body());
            assertEquals(200, ServeFixture.post(s, "/v1/embed", chords).statusCode());
        }
    }

}
