package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void twoShards() {
        shard("model-00001-of-00002.safetensors", "a.weight", 1f, 2f);
        shard("model-00002-of-00002.safetensors", "b.weight", 3f);
    }

    private void shard(String file, String key, float... values) {
        try (Tensor t = TestTensors.floats(new long[] {values.length}, values)) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(key, t);
            SafetensorsWriter.write(dir.resolve(file), m, Map.of("format", "pt"));
        }
    }

    private void index(String weightMap) throws IOException {
        Files.writeString(dir.resolve(CheckpointFiles.SAFETENSORS_INDEX),
                "{\"metadata\":{\"total_size\":12},\"weight_map\":{" + weightMap + "}}");
    }

    private String failure(String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.load(dir).close());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void loadsShardedSafetensorsInIndexOrder() throws IOException {
        index("\"b.weight\":\"model-00002-of-00002.safetensors\",\"a.weight\":\"model-00001-of-00002.safetensors\"");
        assertEquals(CheckpointFiles.SAFETENSORS_INDEX, CheckpointFiles.locate(dir).getFileName().toString());
        try (StateDict sd = CheckpointFiles.load(dir)) {
            assertEquals(List.of("b.weight", "a.weight"), sd.names());
            assertArrayEquals(new double[] {1, 2}, TestTensors.values(sd.get("a.weight")));
            assertArrayEquals(new double[] {3}, TestTensors.values(sd.get("b.weight")));
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        index("\"a.weight\":\"model-00001-of-00002.safetensors\",\"c.weight\":\"model-00003-of-00003.safetensors\"");
        failure(CheckpointFiles.SAFETENSORS_INDEX, "do not exist", "model-00003-of-00003.safetensors");
    }

    @Test
    void keyAbsentFromItsShard() throws IOException {
        index("\"a.weight\":\"model-00001-of-00002.safetensors\",\"z.weight\":\"model-00002-of-00002.safetensors\"");
        failure("'z.weight'", "model-00002-of-00002.safetensors");
    }

    @Test
    void shardNamesMustStayInTheFolder() throws IOException {
        index("\"a.weight\":\"../model-00001-of-00002.safetensors\"");
        failure("../model-00001-of-00002.safetensors", "plain file name");
    }

    @Test
    void prefersSingleSafetensorsThenBin() throws IOException {
        Files.copy(Fixtures.path("state_dict.bin"), dir.resolve(CheckpointFiles.BIN));
        index("\"a.weight\":\"model-00001-of-00002.safetensors\"");
        assertEquals(CheckpointFiles.SAFETENSORS_INDEX, CheckpointFiles.locate(dir).getFileName().toString());
        Files.delete(dir.resolve(CheckpointFiles.SAFETENSORS_INDEX));
        try (StateDict sd = CheckpointFiles.load(dir)) {
            assertTrue(sd.contains("shared.transposed"), "the bin fixture was loaded: " + sd.names());
        }
        Files.copy(dir.resolve("model-00001-of-00002.safetensors"), dir.resolve(CheckpointFiles.SAFETENSORS),
                StandardCopyOption.REPLACE_EXISTING);
        try (StateDict sd = CheckpointFiles.load(dir)) {
            assertEquals(List.of("a.weight"), sd.names());
        }
    }

    @Test
    void folderWithoutWeightsListsItsFiles() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("config.json"), "{}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.load(empty));
        assertTrue(e.getMessage().contains("no weights found") && e.getMessage().contains("[config.json]")
                && e.getMessage().contains(CheckpointFiles.BIN), e.getMessage());
    }
}
