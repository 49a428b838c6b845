package org.mert4j.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task files of the types the synthetic tasks do not cover: what each manifest line carries, and the targets. */
class TaskTest {
    private static Path task(Path dir, String type, String... lines) throws IOException {
        Files.writeString(dir.resolve("manifest.jsonl"), String.join("\n", lines));
        return Files.writeString(dir.resolve("task.yaml"), "type: " + type + "\nmanifest: manifest.jsonl\n");
    }

    @Test
    void multilabelTagsBecomeMultiHotTargets(@TempDir Path dir) throws IOException {
        Task t = Task.load(task(dir, "multilabel",
                "{\"audio\": \"a.wav\", \"split\": \"train\", \"labels\": [\"rock\", \"10\"]}",
                "{\"audio\": \"b.wav\", \"split\": \"valid\", \"labels\": [\"9\"]}",
                "{\"audio\": \"c.wav\", \"split\": \"test\", \"labels\": []}"));
        assertEquals(List.of("9", "10", "rock"), t.classes(), "numbers in numeric order, then words");
        assertEquals(3, t.outputs());
        float[] y = new float[3];
        t.type().writeTarget(t, t.examples().get(0), y, 0);
        assertArrayEquals(new float[] {0, 1, 1}, y);
        Map<String, Double> m = t.type().clipMetrics(t, t.examples(),
                new double[][] {{0.1, 0.9, 0.8}, {0.9, 0.2, 0.1}, {0.1, 0.1, 0.1}});
        assertTrue(m.containsKey("roc_auc") && m.containsKey("average_precision"), m.toString());
    }

    @Test
    void regressionTargetsKeepOneWidth(@TempDir Path dir) throws IOException {
        Task t = Task.load(task(dir, "regression",
                "{\"audio\": \"a.wav\", \"split\": \"train\", \"targets\": [0.1, 0.7]}",
                "{\"audio\": \"b.wav\", \"split\": \"valid\", \"targets\": [0.3, 0.2]}",
                "{\"audio\": \"c.wav\", \"split\": \"test\", \"targets\": [0.5, 0.5]}"));
        assertEquals(2, t.outputs());
        assertEquals(List.of(), t.classes());
        float[] y = new float[2];
        t.type().writeTarget(t, t.examples().get(0), y, 0);
        assertArrayEquals(new float[] {0.1f, 0.7f}, y);
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(task(dir, "regression",
                "{\"audio\": \"a.wav\", \"split\": \"train\", \"targets\": [0.1, 0.7]}",
                "{\"audio\": \"b.wav\", \"split\": \"valid\", \"targets\": [0.3]}")));
        assertTrue(e.getMessage().contains("line 2: 1 targets, earlier lines have 2"), e.getMessage());
    }

    @Test
    void nonFiniteRegressionTargetsAreRefusedNamingTheLine(@TempDir Path dir) {
        for (String bad : List.of("\"NaN\"", "\"-Infinity\"", "\"0.5\"", "null")) {
            TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(task(dir, "regression",
                    "{\"audio\": \"a.wav\", \"split\": \"train\", \"targets\": [0.1, 0.7]}",
                    "{\"audio\": \"b.wav\", \"split\": \"valid\", \"targets\": [0.3, " + bad + "]}",
                    "{\"audio\": \"c.wav\", \"split\": \"test\", \"targets\": [0.5, 0.5]}")), bad);
            assertTrue(e.getMessage().contains("manifest.jsonl line 2: target 1 is " + bad), e.getMessage());
        }
    }

    @Test
    void keyLabelsMustBeKeys(@TempDir Path dir) {
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(task(dir, "key",
                "{\"audio\": \"a.wav\", \"split\": \"train\", \"label\": \"H major\"}")));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }
}
