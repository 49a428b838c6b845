package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.tensor.Tensors;

/** Tensors to and from .npy in pieces: what numpy reads, and offsets past the first piece. */
class NpyTensorsTest {
    @TempDir
    Path tmp;

    @Test
    void aBufferAtAnOffsetStartsThereWithPositionZero() {
        try (BytePointer base = new BytePointer(64)) {
            for (int i = 0; i < 64; i++) {
                base.put(i, (byte) i);
            }
            ByteBuffer b = NpyTensors.bytes(base, 10, 5);
            assertEquals(0, b.position());
            assertEquals(5, b.remaining());
            assertEquals(10, b.get(0));
            assertEquals(14, b.get(4));
        }
    }

    @Test
    void aTensorOfSeveralPiecesRoundTripsAndReadsAsNpy() throws IOException {
        // 5.2 million floats: 21 MB, past the first 16 MB piece, so later pieces land at their offsets
        int rows = 20_000;
        int cols = 260;
        torch.manual_seed(3);
        Tensor t = torch.randn(rows, cols);
        Path file = tmp.resolve("big.npy");
        NpyTensors.write(file, t);
        Tensor back = NpyTensors.read(file);
        assertTrue(t.equal(back), "round trip");
        float[] viaNpy = Npy.readFloats(file).data();
        assertArrayEquals(Tensors.toFloats(t), viaNpy, "the plain .npy reader sees the same values");
        // written in blocks of rows: the same file
        Path blocks = tmp.resolve("blocks.npy");
        NpyTensors.write(blocks, new long[] {rows, cols}, List.of(t.narrow(0, 0, 7_000), t.narrow(0, 7_000, 13_000)));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(blocks));
        assertThrows(IllegalArgumentException.class, () -> NpyTensors.write(tmp.resolve("short.npy"),
                new long[] {rows + 1, cols}, List.of(t)));
    }

    @Test
    void aFileShorterThanItsHeaderSaysIsRefused() throws IOException {
        Path file = tmp.resolve("t.npy");
        NpyTensors.write(file, torch.randn(10, 4));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 4));
        IOException e = assertThrows(IOException.class, () -> NpyTensors.read(file));
        assertTrue(e.getMessage().contains("t.npy") && e.getMessage().contains("needs 160 bytes"), e.getMessage());
    }
}
