package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mert4j.hub.DownloadListener;
import org.mert4j.pretrain.ManifestBatchSource;
import org.slf4j.LoggerFactory;

/** The library's SLF4J messages reach stderr as short lines: the level, then the message as it was written. */
class LoggingTest {

    @Test
    void libraryMessagesAreShortLinesOnStderr() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger(ManifestBatchSource.class).warn("skipping {}: {}", "a.wav", "not audio");
            DownloadListener d = DownloadListener.logged(3600);
            d.started("org/model", "config.json", 2_000_000, 0);
            d.warning("cannot reach the Hub: using org/model as cached");
            LoggerFactory.getLogger(LoggingTest.class).debug("not shown");
        } finally {
            System.setErr(saved);
        }
        assertEquals("""
                [WARN] skipping a.wav: not audio
                [INFO] downloading org/model config.json (2.0 MB)
                [WARN] cannot reach the Hub: using org/model as cached
                """, captured.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
