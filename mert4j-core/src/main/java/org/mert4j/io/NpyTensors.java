package org.mert4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code .npy} files straight to and from CPU tensors of float32 or int64, in pieces: for arrays of
 * gigabytes, which neither fit a Java array nor should pass through the Java heap.
 */
public final class NpyTensors {
    private static final long PIECE = 1 << 24;

    private NpyTensors() {
    }

    /** Writes a CPU float32 or int64 tensor atomically, in C order. */
    public static void write(Path file, Tensor t) throws IOException {
        write(file, t.sizes().vec().get(), List.of(t));
    }

    /**
     * Writes an array of {@code shape} given in pieces (such as blocks of rows) whose values, one piece after
     * the other in C order, are the array's: for arrays built block by block that should not be held twice.
     */
    public static void write(Path file, long[] shape, Iterable<Tensor> pieces) throws IOException {
        long values = 1;
        for (long d : shape) {
            values = Math.multiplyExact(values, d);
        }
        long expected = values;
        String[] descr = {null};
        long[] written = {0};
        AtomicFiles.writeChannel(file, ch -> {
            ch.position(Npy.header("<f4", shape).length); // the header follows once the dtype is known
            for (Tensor piece : pieces) {
                String d = descr(piece.scalar_type().intern());
                if (d == null || !piece.device().is_cpu() || (descr[0] != null && !descr[0].equals(d))) {
                    throw new IllegalArgumentException(file + ": pieces must be CPU tensors of one type, float32 or"
                            + " int64");
                }
                descr[0] = d;
                Tensor c = piece.contiguous();
                long bytes = c.numel() * c.element_size();
                written[0] += c.numel();
                if (written[0] > expected) {
                    throw new IllegalArgumentException(file + ": pieces hold more than the " + expected
                            + " values of the shape " + Arrays.toString(shape));
                }
                if (bytes > 0) {
                    try (BytePointer data = new BytePointer(c.data_ptr())) {
                        for (long at = 0; at < bytes; at += PIECE) {
                            long n = Math.min(PIECE, bytes - at);
                            writeFully(ch, bytes(data, at, n));
                        }
                    }
                }
            }
            if (written[0] != expected) {
                throw new IllegalArgumentException(file + ": pieces hold " + written[0] + " values, the shape "
                        + Arrays.toString(shape) + " needs " + expected);
            }
            ch.position(0);
            writeFully(ch, ByteBuffer.wrap(Npy.header(descr[0] == null ? "<f4" : descr[0], shape)));
        });
    }

    /**
     * Reads a float32 or int64 array into a new CPU tensor of its shape.
     * @throws IOException naming the file when it is not such an array or its size does not match its header
     */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Npy.Header h = Npy.readHeader(ch, file);
            torch.ScalarType type = switch (h.descr()) {
                case "<f4" -> torch.ScalarType.Float;
                case "<i8" -> torch.ScalarType.Long;
                default -> throw new IOException(file + ": dtype " + h.descr() + " is not float32 or int64");
            };
            long itemSize = type == torch.ScalarType.Float ? 4 : 8;
            long available = ch.size() - h.dataOffset();
            if (h.count() > available / itemSize || h.count() * itemSize != available) {
                throw new IOException(file + ": shape " + Arrays.toString(h.shape()) + " needs "
                        + h.count() * itemSize + " bytes of data, the file has " + available);
            }
            Tensor t = torch.empty(h.shape(), new TensorOptions(type), new MemoryFormatOptional());
            long bytes = available;
            if (bytes > 0) {
                try (BytePointer data = new BytePointer(t.data_ptr())) {
                    for (long at = 0; at < bytes; at += PIECE) {
                        long n = Math.min(PIECE, bytes - at);
                        Npy.readFully(ch, bytes(data, at, n), file);
                    }
                }
            }
            return t;
        }
    }

    /**
     * {@code length} bytes of native memory from {@code offset}, as a buffer whose position is 0. A pointer's own
     * position cannot reach past 2 GB (a {@link ByteBuffer} is indexed by int), so the buffer starts at a new
     * address instead.
     */
    public static ByteBuffer bytes(BytePointer base, long offset, long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a buffer holds at most 2 GB, asked for " + length + " bytes");
        }
        return base.getPointer(offset).capacity(length).asBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String descr(torch.ScalarType type) {
        return type == torch.ScalarType.Float ? "<f4" : type == torch.ScalarType.Long ? "<i8" : null;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
