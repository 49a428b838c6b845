package org.mert4j.cli.commands;

import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mert probe writes its cache and results beside the task, not into whatever folder it was started in. */
class ProbeOutputsTest {

    @Test
    void defaultOutputsGoBesideTheTaskFile(@TempDir Path tmp) throws Exception {
        Path task = tmp.resolve("task");
        StringBuilder manifest = new StringBuilder();
        String[] splits = {"train", "train", "train", "train", "valid", "valid", "test", "test"};
        for (int i = 0; i < splits.length; i++) {
            Wav.write(task.resolve("audio/" + i + ".wav"), 1.0, 24000, i);
            manifest.append("{\"audio\": \"audio/").append(i).append(".wav\", \"split\": \"").append(splits[i])
                    .append("\", \"label\": \"").append(i % 2 == 0 ? "even" : "odd").append("\"}\n");
        }
        Files.writeString(task.resolve("manifest.jsonl"), manifest);
        Files.writeString(task.resolve("task.yaml"), "name: parity\ntype: multiclass\nmanifest: manifest.jsonl\n"
                + "window: clip\n");
        Path cwd = Path.of("").toAbsolutePath();
        boolean cacheBefore = Files.exists(cwd.resolve("probe-cache"));
        boolean resultsBefore = Files.exists(cwd.resolve("probe-results"));

        Cli.Result r = Cli.run("probe", "--task", task.resolve("task.yaml").toString(), "--model", "mfcc",
                "--no-baselines", "--epochs", "2", "--lr", "1e-3");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.isRegularFile(task.resolve("probe-results/mfcc/results.json")), r::toString);
        // one result for the whole feature set: no layer axis, so no layers.png, and the run says why
        assertFalse(Files.exists(task.resolve("probe-results/mfcc/layers.png")), r::toString);
        assertTrue(r.err().contains("no layers.png for parity"), r::toString);
        assertTrue(Files.isDirectory(task.resolve("probe-cache")), r::toString);
        assertEquals(cacheBefore, Files.exists(cwd.resolve("probe-cache")), "nothing written into the current folder");
        assertEquals(resultsBefore, Files.exists(cwd.resolve("probe-results")), "nothing written into the current folder");
        assertFalse(r.out().contains(cwd.resolve("probe-results").toString()), r::toString);
    }
}
