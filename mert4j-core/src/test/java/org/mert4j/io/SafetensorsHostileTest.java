package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile safetensors files must fail with a descriptive CheckpointException. */
class SafetensorsHostileTest {

    @TempDir
    Path dir;

    /** A file with the given header JSON and {@code dataBytes} zero bytes of data. */
    private Path file(String headerJson, int dataBytes) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, new byte[dataBytes]);
    }

    private Path raw(long declaredLen, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLen).put(header).put(data);
        Path p = dir.resolve("model.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private String failure(Path p) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.read(p).close());
        assertThrows(CheckpointException.class, () -> SafetensorsReader.header(p));
        assertTrue(e.getMessage().startsWith("model.safetensors: "), e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void validFileIsAccepted() throws IOException {
        Path p = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        try (StateDict sd = SafetensorsReader.read(p)) {
            assertEquals(1, sd.size());
        }
    }

    @Test
    void truncatedFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        assertMentions(failure(p), "3 bytes", "at least 8");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertMentions(failure(raw(1000, h, new byte[0])), "header length is 1000", "file size - 8 = 2");
    }

    @Test
    void headerLengthZero() throws IOException {
        assertMentions(failure(raw(0, new byte[0], new byte[16])), "header length is 0");
    }

    @Test
    void headerLengthWithHighBitSet() throws IOException {
        assertMentions(failure(raw(-1, new byte[4], new byte[0])), "header length is 18446744073709551615");
    }

    @Test
    void nonJsonHeader() throws IOException {
        assertMentions(failure(file("this is not json", 0)), "not valid JSON");
    }

    @Test
    void headerIsNotAnObject() throws IOException {
        assertMentions(failure(file("[1,2,3]", 0)), "must be a JSON object", "ARRAY");
    }

    @Test
    void duplicateKeys() throws IOException {
        String e = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        assertMentions(failure(file("{\"a\":" + e + ",\"a\":" + e + "}", 4)), "not valid JSON", "a");
    }

    @Test
    void negativeOffsets() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8)),
                "tensor 'w'", "data_offsets", "non-negative");
    }

    @Test
    void beginAfterEnd() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8)),
                "tensor 'w'", "[8, 4]", "begin must be <= end");
    }

    @Test
    void overlappingOffsets() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(failure(file(h, 12)), "'b'", "overlap", "'a'");
    }

    @Test
    void offsetsPastEnd() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8)),
                "tensor 'w'", "[0, 16]", "only 8 bytes");
    }

    @Test
    void unknownDtype() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w'", "unsupported dtype 'F8_E4M3'", "F32");
    }

    @Test
    void shapeSizeMismatch() throws IOException {
        assertMentions(failure(file("{\"encoder.layer_norm.weight\":{\"dtype\":\"F32\",\"shape\":[768],\"data_offsets\":[0,3068]}}", 3072)),
                "tensor 'encoder.layer_norm.weight'", "3068 bytes", "dtype F32 and shape [768] need 3072 bytes");
    }

    @Test
    void absurdShapeOverflows() throws IOException {
        long big = 1L << 40;
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + big + "," + big + "],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w'", "does not fit in 64 bits");
    }

    @Test
    void hugeButRepresentableShapeIsRejectedBeforeAllocation() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,4]}}", 4)),
                "tensor 'w'", "need 4398046511104 bytes");
    }

    @Test
    void fractionalOrNegativeShape() throws IOException {
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4)), "'shape'", "1.5");
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)), "'shape'", "-1");
    }

    @Test
    void missingFieldsAndBadMetadata() throws IOException {
        assertMentions(failure(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)), "tensor 'w'", "'dtype'");
        assertMentions(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4)), "data_offsets", "2 numbers");
        assertMentions(failure(file("{\"__metadata__\":{\"k\":1}}", 0)), "__metadata__", "'k'", "string");
    }
}
