package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or damaged torch.save archives must be refused with a clear CheckpointException, never executed. */
class TorchBinHostileTest {

    @TempDir
    Path dir;

    /** Builds pickle bytes opcode by opcode, the way torch.save lays them out. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X', b.length, 0, 0, 0);
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle int1(int v) {
            return op('K', v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** {'w': float32 tensor of shape [size] at offset over a storage of numel elements}. */
    private static Pickle oneTensor(long numel, int offset, int size) {
        return new Pickle().op(0x80, 2).global("collections", "OrderedDict").op(')', 'R', '(')
                .str("w").global("torch._utils", "_rebuild_tensor_v2").op('(', '(')
                .str("storage").global("torch", "FloatStorage").str("0").str("cpu").int1((int) numel).op('t', 'Q')
                .int1(offset).int1(size).op(0x85).int1(1).op(0x85).op(0x89, ')', 't', 'R')
                .op('u', '.');
    }

    private Path archive(byte[] pickle, Map<String, byte[]> extra) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/data.pkl", pickle);
        records.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        extra.forEach((k, v) -> records.put("archive/" + k, v));
        records.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return Fixtures.zip(dir.resolve("pytorch_model.bin"), records);
    }

    private static byte[] floats(float... v) {
        java.nio.ByteBuffer b = TestTensors.le(4 * v.length);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static String failure(Path p, String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchBinReader.read(p).close());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void handBuiltArchiveLoads() throws IOException {
        Path p = archive(oneTensor(4, 1, 2).bytes(), Map.of("data/0", floats(1, 2, 3, 4)));
        try (StateDict sd = TorchBinReader.read(p)) {
            assertArrayEquals(new double[] {2, 3}, TestTensors.values(sd.get("w")));
        }
    }

    @Test
    void refusesOsSystemFromPythonFixture() {
        String m = failure(Fixtures.path("malicious.bin"), "malicious.bin", "refusing pickle global os.system",
                "a state dict needs only tensors");
        // refused at the global, before the payload's argument ("echo pwned") was even read
        assertFalse(m.contains("pwned"), m);
    }

    @Test
    void refusesBuiltinsEvalThroughStackGlobal() throws IOException {
        byte[] pkl = new Pickle().op(0x80, 4).str("builtins").str("eval").op(0x93).str("print(1)").op(0x85, 'R', '.').bytes();
        failure(archive(pkl, Map.of()), "pytorch_model.bin", "refusing pickle global builtins.eval");
    }

    @Test
    void refusesOpcodesOutsideTheSubset() throws IOException {
        byte[] pkl = new Pickle().op(0x80, 2).global("collections", "OrderedDict").op(')', 0x81, '.').bytes(); // NEWOBJ
        failure(archive(pkl, Map.of()), "unsupported pickle opcode 0x81");
    }

    @Test
    void truncatedPickle() throws IOException {
        byte[] full = oneTensor(4, 0, 4).bytes();
        failure(archive(Arrays.copyOf(full, full.length - 10), Map.of("data/0", floats(1, 2, 3, 4))), "truncated");
    }

    @Test
    void viewReachingPastItsStorage() throws IOException {
        failure(archive(oneTensor(4, 1, 4).bytes(), Map.of("data/0", floats(1, 2, 3, 4))),
                "tensor 'w'", "reaches element 4", "has only 4 elements");
    }

    @Test
    void storageRecordShorterThanDeclared() throws IOException {
        failure(archive(oneTensor(4, 0, 3).bytes(), Map.of("data/0", floats(1, 2, 3))),
                "tensor 'w'", "needing 16 bytes", "holds 12 bytes");
    }

    @Test
    void missingStorageRecord() throws IOException {
        failure(archive(oneTensor(4, 0, 4).bytes(), Map.of()), "tensor 'w'", "archive/data/0", "missing");
    }

    @Test
    void bigEndianArchive() throws IOException {
        Path p = Fixtures.editedBin(dir, "byteorder", b -> "big".getBytes(StandardCharsets.US_ASCII));
        failure(p, "byteorder", "'big'", "'little'");
    }

    @Test
    void truncatedStorageInPythonFixture() throws IOException {
        Path p = Fixtures.editedBin(dir, "data/0", b -> Arrays.copyOf(b, b.length - 4));
        failure(p, "pytorch_model.bin", "bytes but the record holds");
    }

    @Test
    void notAZipFile() throws IOException {
        Path p = dir.resolve("pytorch_model.bin");
        Files.write(p, new byte[] {(byte) 0x80, 2, 'N', '.'});
        failure(p, "pytorch_model.bin", "not a zip archive");
    }

    @Test
    void pickleThatIsNotADictOfTensors() throws IOException {
        byte[] pkl = new Pickle().op(0x80, 2, '}').str("w").int1(3).op('s', '.').bytes();
        failure(archive(pkl, Map.of()), "'w'", "not a tensor");
    }
}
