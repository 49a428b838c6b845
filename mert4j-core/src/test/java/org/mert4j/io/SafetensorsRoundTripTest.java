package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackIdenticalValuesInOrder() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", TestTensors.floats(new long[] {2, 3}, 1f, -2.5f, 3.25f, Float.MIN_VALUE, -0f, 1e30f));
        tensors.put("a.ids", TestTensors.longs(new long[] {3}, Long.MIN_VALUE, 0, Long.MAX_VALUE));
        tensors.put("m.scalar", TestTensors.floats(new long[] {}, 7f));
        tensors.put("e.empty", TestTensors.floats(new long[] {0, 4}));
        try {
            SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        } finally {
            tensors.values().forEach(Tensor::close);
        }

        try (StateDict sd = SafetensorsReader.read(file)) {
            assertEquals(List.of("z.weight", "a.ids", "m.scalar", "e.empty"), sd.names());
            assertArrayEquals(new double[] {1f, -2.5f, 3.25f, Float.MIN_VALUE, -0f, 1e30f},
                    TestTensors.values(sd.get("z.weight")));
            assertEquals(ScalarType.Long, sd.get("a.ids").scalar_type().intern());
            assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, TestTensors.longValues(sd.get("a.ids")));
            assertArrayEquals(new long[] {}, TestTensors.shape(sd.get("m.scalar")));
            assertArrayEquals(new double[] {7}, TestTensors.values(sd.get("m.scalar")));
            assertArrayEquals(new long[] {0, 4}, TestTensors.shape(sd.get("e.empty")));
        }
        assertEquals(Map.of("format", "pt"), SafetensorsReader.metadata(file));

        byte[] raw = Files.readAllBytes(file);
        long headerLen = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8, "data section must start 8-byte aligned");
        String header = new String(raw, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.indexOf("z.weight") < header.indexOf("a.ids"), "keys keep insertion order: " + header);
        assertTrue(header.contains("\"I64\""), header);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "temporary file must be renamed away");
        }
    }

    @Test
    void halfAndNonContiguousInputsAreStoredAsDenseF32() throws IOException {
        Path file = dir.resolve("t.safetensors");
        try (Tensor base = TestTensors.floats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
                Tensor transposed = base.t();
                Tensor half = base.to(ScalarType.Half)) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("t", transposed);
            m.put("h", half);
            SafetensorsWriter.write(file, m, null);
        }
        assertEquals(DType.F32, SafetensorsReader.header(file).get("h").dtype());
        try (StateDict sd = SafetensorsReader.read(file)) {
            assertArrayEquals(new long[] {3, 2}, TestTensors.shape(sd.get("t")));
            assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, TestTensors.values(sd.get("t")));
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, TestTensors.values(sd.get("h")));
        }
    }

    @Test
    void failedWriteLeavesExistingFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        Files.writeString(file, "old");
        try (Tensor t = TestTensors.floats(new long[] {1}, 1)) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("ok", t);
            m.put("__metadata__", t);
            assertThrows(CheckpointException.class, () -> SafetensorsWriter.write(file, m, null));
        }
        assertEquals("old", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
