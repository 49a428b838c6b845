package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.bench.Flops;
import org.mert4j.cli.bench.Stats;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.testing.Wav;

/** Runs {@code mert bench} on the tiny preset: checks the report's structure, never its timings. */
class BenchCommandTest {

    @Test
    void benchOfTheTinyPresetReportsEverySuiteAsJson(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("bench", "--model", "preset:tiny", "--suite", "embed,features,train", "--clip", "6",
                "--batch", "2", "--int8", "--warmup", "0", "--repeat", "1", "--threads", "2", "--train-batch", "1",
                "--train-seconds", "1", "--codebooks", "2", "--classes", "16", "--json", "-",
                "--save-model", dir.toString());
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode root = new ObjectMapper().readTree(r.out());
        Map<String, JsonNode> byKind = new HashMap<>();
        for (JsonNode n : root.get("results")) {
            byKind.put(n.get("kind").asText(), n);
            assertTrue(n.get("median_s").asDouble() > 0, n::toString);
            assertTrue(n.get("audio_s_per_s").asDouble() > 0, n::toString);
        }
        assertEquals(java.util.Set.of("embed", "embed_int8", "cqt", "mfcc", "train"), byKind.keySet());
        // 6 s in 5 s windows: one full window and a 1 s remnant (kept: it is at least 1 s)
        assertEquals(2, byKind.get("embed").get("windows").asInt());
        assertEquals(6.0, byKind.get("embed").get("clip_s").asDouble(), 1e-9);
        // int8 weights change the embeddings only slightly: cosine to fp32 close to 1 on every layer
        assertTrue(byKind.get("embed_int8").get("cosine_min").asDouble() > 0.95, byKind.get("embed_int8")::toString);
        assertEquals(1, byKind.get("train").get("batch").asInt());
        // inference runs BLAS single-threaded; training must get the threads back even after --save-model
        // created a model (which switches BLAS to the inference setting)
        assertEquals(1, root.get("blas_threads").asInt(), root::toString);
        assertEquals(2, byKind.get("train").get("blas_threads").asInt(), byKind.get("train")::toString);
        assertTrue(root.get("memory").get("peak_rss_mb").asDouble() > 0, root::toString);
        // the saved folders load back as the models that were timed
        try (MertModel m = MertModel.load(dir.resolve("embed"), "cpu")) {
            assertEquals(MertConfig.preset("tiny").transformer().hiddenSize(), m.config().transformer().hiddenSize());
        }
        assertTrue(Files.isRegularFile(dir.resolve("train").resolve("config.json")));
    }

    @Test
    void encodecSuiteTimesTheCodesOfTheClipAt24kHz() throws Exception {
        Cli.Result r = Cli.run("bench", "--model", "preset:tiny", "--suite", "encodec", "--clip", "1", "--warmup",
                "0", "--repeat", "1", "--json", "-");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("results");
        assertEquals(1, rows.size(), rows::toString);
        JsonNode e = rows.get(0);
        assertEquals("encodec", e.get("kind").asText());
        assertEquals(8, e.get("codebooks").asInt()); // encodec_24khz at its default 6 kbps
        assertEquals(1.0, e.get("audio_s").asDouble(), 1e-3); // the 1 s clip, resampled to 24 kHz
        assertTrue(e.get("median_s").asDouble() > 0, e::toString);
    }

    @Test
    void tablePrintsOneRowPerBenchmark() {
        Cli.Result r = Cli.run("bench", "--model", "preset:tiny", "--suite", "features", "--clip", "2", "--warmup",
                "0", "--repeat", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("CQT (MERT teacher)"), r.out());
        assertTrue(r.out().contains("MFCC + deltas"), r.out());
        assertTrue(r.out().contains("peak RSS"), r.out());
    }

    @Test
    void embedFileStreamsTheAudioFileOnce(@TempDir Path dir) throws Exception {
        Path wav = Wav.write(dir.resolve("long.wav"), 12.5, 44100, 3);
        Cli.Result r = Cli.run("bench", "--model", "preset:tiny", "--suite", "embed-file", "--audio", wav.toString(),
                "--threads", "1", "--json", "-");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode row = new ObjectMapper().readTree(r.out()).get("results").get(0);
        assertEquals("embed_file", row.get("kind").asText());
        assertEquals(1, row.get("all_s").size(), "one run unless --repeat is given");
        assertEquals(12.5, row.get("audio_s").asDouble(), 1e-9);
        assertEquals(3, row.get("windows").asInt()); // 5 s, 5 s and the 2.5 s remnant
        assertTrue(row.get("peak_rss_mb_after").asDouble() > 0, row::toString);

        Cli.Result noFile = Cli.run("bench", "--model", "preset:tiny", "--suite", "embed-file");
        assertEquals(2, noFile.exitCode(), noFile::toString);
        assertTrue(noFile.err().contains("embed-file needs --audio"), noFile.err());
        Cli.Result noWindow = Cli.run("bench", "--model", "preset:tiny", "--suite", "embed-file", "--audio",
                wav.toString(), "--window", "none");
        assertEquals(2, noWindow.exitCode(), noWindow::toString);
    }

    @Test
    void unknownSuiteIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--suite", "fastest");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--suite fastest"), r.err());
    }

    @Test
    void statsAndFlops() {
        Stats s = Stats.of(new double[] {3, 1, 2, 10});
        assertEquals(2.5, s.median(), 0);
        assertEquals(1, s.min(), 0);
        assertEquals(10, s.max(), 0);
        // 95M on 5 s at 24 kHz: 374 frames; about 110 GFLOP (the 95M transformer plus conv front)
        double gflop = Flops.encoderForward(MertConfig.preset("v1-95m"), 120_000, 1) / 1e9;
        assertEquals(374, MertConfig.preset("v1-95m").framesFor(120_000));
        assertTrue(gflop > 60 && gflop < 130, "GFLOP " + gflop);
    }
}
