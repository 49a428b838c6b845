package org.mert4j.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Waveform;
import org.mert4j.probe.Split;
import org.mert4j.probe.Task;
import org.mert4j.probe.TaskExample;
import org.mert4j.probe.TaskType;

/** Generated tasks load as tasks, hold sound, split by program, and are the same for the same seed. */
class TaskGeneratorTest {

    @Test
    void notesInstrumentSplitsByProgramAndIsDeterministic(@TempDir Path dir) throws Exception {
        TaskGenerator.Options o = new TaskGenerator.Options(7, 2, 1.0, null);
        Path file = TaskGenerator.generate("notes-instrument", dir.resolve("a"), o, n -> {});
        Task task = Task.load(file);
        assertEquals(TaskType.MULTICLASS, task.type());
        assertEquals(10, task.classes().size());
        assertEquals(10 * 8 * 2, task.examples().size());
        String manifest = Files.readString(task.manifest());
        Set<String> trainPrograms = new HashSet<>();
        for (String line : manifest.split("\n")) {
            if (line.contains("\"train\"")) {
                trainPrograms.add(line.replaceAll(".*\"program\":(\\d+).*", "$1"));
            }
        }
        for (String line : manifest.split("\n")) {
            if (line.contains("\"test\"")) {
                String program = line.replaceAll(".*\"program\":(\\d+).*", "$1");
                assertTrue(!trainPrograms.contains(program), "test program " + program + " also in train");
            }
        }
        TaskExample first = task.examples().get(0);
        Waveform w = AudioDecoder.decode(first.audio());
        assertEquals(TaskGenerator.SAMPLE_RATE, w.sampleRate());
        assertEquals(TaskGenerator.SAMPLE_RATE, w.numSamples());
        double energy = 0;
        for (float s : w.mono()) {
            energy += s * s;
        }
        assertTrue(Math.sqrt(energy / w.numSamples()) > 1e-3, "rendered note is silent");

        Path again = TaskGenerator.generate("notes-instrument", dir.resolve("b"), o, n -> {});
        assertEquals(manifest, Files.readString(again.resolveSibling("manifest.jsonl")));
        assertArrayEquals(Files.readAllBytes(first.audio()),
                Files.readAllBytes(dir.resolve("b").resolve(first.id())));
    }

    @Test
    void beatTaskHasBeatFilesWithinTheClip(@TempDir Path dir) throws Exception {
        Path file = TaskGenerator.generate("beat", dir, new TaskGenerator.Options(3, 6, 8.0, null), n -> {});
        Task task = Task.load(file);
        assertEquals(TaskType.BEAT, task.type());
        assertEquals(6, task.examples().size());
        assertTrue(!task.split(Split.TEST).isEmpty());
        for (TaskExample e : task.examples()) {
            double[] b = e.beats();
            assertTrue(b.length >= 8 * 70 / 60 - 1, "too few beats: " + b.length);
            double period = b[1] - b[0];
            assertTrue(period >= 60.0 / 180 - 1e-3 && period <= 60.0 / 70 + 1e-3, "tempo out of range: " + period);
            assertTrue(b[b.length - 1] < 8.0);
        }
    }

    @Test
    void keyTaskCoversAllKeys(@TempDir Path dir) throws Exception {
        Path file = TaskGenerator.generate("key", dir, new TaskGenerator.Options(1, 1, 3.0, null), n -> {});
        Task task = Task.load(file.toAbsolutePath());
        assertEquals(24, task.examples().stream().map(TaskExample::label).distinct().count());
    }
}
