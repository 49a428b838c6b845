package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** mert tasks make and mert probe end to end on a tiny generated task. */
class ProbeCommandTest {

    @Test
    void makesTaskAndProbesItWithBaselines(@TempDir Path dir) throws Exception {
        Cli.Result made = Cli.run("tasks", "make", "notes-instrument", "--out", dir.resolve("t").toString(),
                "--count", "2", "--seconds", "1");
        assertEquals(0, made.exitCode(), made.toString());
        assertTrue(made.out().contains("160 clips"), made.out());
        Cli.Result r = Cli.run("probe", "--task", dir.resolve("t/task.yaml").toString(), "--model", "preset:tiny",
                "--layers", "sweep", "--epochs", "3", "--lr", "1e-3", "--cache", dir.resolve("cache").toString(),
                "--out", dir.resolve("out").toString(), "--int8");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("mfcc"), "MFCC baseline missing: " + r.out());
        assertTrue(r.out().contains("-int8"), "int8 features missing: " + r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertEquals("accuracy", json.get("metric").asText());
        // tiny preset: layers 0..L alone, then weighted, then int8 weighted, then the MFCC baseline
        assertTrue(json.get("results").size() >= 5, json.toString());
        assertTrue(Files.size(dir.resolve("out/layers.png")) > 1000);
    }

    @Test
    void badProbeKindIsAUsageError(@TempDir Path dir) {
        Cli.Result r = Cli.run("probe", "--task", dir.resolve("none.yaml").toString(), "--model", "mfcc",
                "--probe", "forest");
        assertEquals(2, r.exitCode(), r.toString());
    }

    @Test
    void int8WithSignalFeaturesIsAUsageError(@TempDir Path dir) throws Exception {
        Cli.Result made = Cli.run("tasks", "make", "notes-instrument", "--out", dir.resolve("t").toString(),
                "--count", "1", "--seconds", "1");
        assertEquals(0, made.exitCode(), made.toString());
        Cli.Result r = Cli.run("probe", "--task", dir.resolve("t/task.yaml").toString(), "--model", "mfcc", "--int8",
                "--out", dir.resolve("out").toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--int8"), r.err());
    }

    @Test
    void unknownTaskNameIsAUsageError(@TempDir Path dir) {
        Cli.Result r = Cli.run("tasks", "make", "genre", "--out", dir.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("notes-pitch"), r.err());
    }
}
