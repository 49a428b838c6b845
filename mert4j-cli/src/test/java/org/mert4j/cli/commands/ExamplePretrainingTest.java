package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example audio, MFCC k-means labels (k = 16, chance 1/16) and a tiny pretraining run:
 * the loss must fall clearly and the masked prediction accuracy beat chance by 0.1.
 */
class ExamplePretrainingTest {
    static final Path AUDIO = Path.of("..", "examples", "audio");

    @Test
    void tinyRunOnTheExampleAudioLearns(@TempDir Path tmp) throws Exception {
        assertEquals(0, Cli.run("manifest", AUDIO.toString(), "--out", tmp.resolve("train.tsv").toString()).exitCode());
        Cli.Result labels = Cli.run("labels", "--teacher", "mfcc-kmeans", "--fit", "--k", "16", "--manifest",
                tmp.resolve("train.tsv").toString(), "--out", tmp.resolve("labels").toString());
        assertEquals(0, labels.exitCode(), labels.toString());
        Cli.Result run = Cli.run("pretrain", "--preset", "tiny", "--manifest", tmp.resolve("train.tsv").toString(),
                "--labels", tmp.resolve("labels").toString(), "--out", tmp.resolve("run").toString(),
                "--max-steps", "150", "--save-every", "150", "--set", "run.log_every=1", "--set", "optim.warmup_steps=10",
                "--set", "optim.total_steps=150", "--set", "data.min_seconds=1.0");
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("run/metrics.jsonl"))) {
            steps.add(new ObjectMapper().readTree(line));
        }
        assertEquals(150, steps.size());
        double first = mean(steps.subList(0, 5), "loss");
        double last = mean(steps.subList(140, 150), "loss");
        double acc = steps.subList(140, 150).stream().mapToDouble(n -> n.get("accuracy").get(0).asDouble()).average()
                .orElseThrow();
        System.out.printf("example audio, tiny: loss %.3f -> %.3f, masked accuracy %.3f (chance %.3f)%n", first, last,
                acc, 1 / 16.0);
        assertTrue(last < 0.8 * first, "loss should fall clearly: " + first + " -> " + last);
        assertTrue(acc > 1 / 16.0 + 0.1, "masked accuracy " + acc + " should beat chance 1/16 by 0.1");
    }

    private static double mean(List<JsonNode> rows, String key) {
        return rows.stream().mapToDouble(n -> n.get(key).asDouble()).average().orElseThrow();
    }
}
