package org.mert4j.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Moves raw little-endian bytes between files and libtorch tensor memory. Bytes go straight into
 * the tensor's native buffer through direct ByteBuffer windows, so large checkpoints never pass
 * through the Java heap.
 */
final class NativeTensors {

    /** Window size: bounded because a ByteBuffer is int-indexed and tensors may exceed 2 GB. */
    private static final int CHUNK = 1 << 26;

    private NativeTensors() {
    }

    /** Receives consecutive windows over a tensor's bytes, in order. */
    @FunctionalInterface
    interface ChunkAction {
        void apply(ByteBuffer window) throws IOException;
    }

    /** Allocates an uninitialised contiguous CPU tensor. Shape must already be validated. */
    static Tensor empty(DType dtype, long[] shape) {
        requireLittleEndianHost();
        try (TensorOptions options = new TensorOptions(dtype.scalarType());
                MemoryFormatOptional format = new MemoryFormatOptional()) {
            return torch.empty(shape, options, format);
        }
    }

    /** Visits the bytes of a contiguous CPU tensor in windows of at most {@link #CHUNK} bytes. */
    static void forEachWindow(Tensor tensor, ChunkAction action) throws IOException {
        if (!tensor.is_cpu() || !tensor.is_contiguous()) {
            throw new IllegalArgumentException("expected a contiguous CPU tensor");
        }
        long nbytes = tensor.nbytes();
        if (nbytes == 0) {
            return; // empty tensors may have a null data pointer
        }
        Pointer data = tensor.data_ptr();
        try (BytePointer base = new BytePointer(data)) {
            for (long off = 0; off < nbytes; off += CHUNK) {
                long len = Math.min(CHUNK, nbytes - off);
                base.position(off).limit(off + len).capacity(off + len);
                ByteBuffer window = base.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                if (window.remaining() != len) {
                    throw new IllegalStateException("native window has " + window.remaining() + " bytes, expected " + len);
                }
                action.apply(window);
            }
        }
    }

    /** Fills the tensor from {@code channel} starting at {@code position}; fails if the file ends early. */
    static void readFrom(FileChannel channel, long position, Tensor tensor) throws IOException {
        long[] pos = {position};
        forEachWindow(tensor, window -> {
            while (window.hasRemaining()) {
                int n = channel.read(window, pos[0]);
                if (n < 0) {
                    throw new EOFException("file ended at byte " + pos[0]);
                }
                pos[0] += n;
            }
        });
    }

    /** Fills the tensor from a stream; fails if the stream ends before the tensor is full. */
    static void readFrom(ReadableByteChannel channel, Tensor tensor) throws IOException {
        forEachWindow(tensor, window -> {
            while (window.hasRemaining()) {
                if (channel.read(window) < 0) {
                    throw new EOFException("stream ended " + window.remaining() + " bytes early");
                }
            }
        });
    }

    /** Widens F16/BF16/F64 to float32 and releases the original; other tensors are returned unchanged. */
    static Tensor widenToFloat32(Tensor tensor) {
        ScalarType type = tensor.scalar_type().intern(); // native enums must be interned before ==
        if (type == ScalarType.Half || type == ScalarType.BFloat16 || type == ScalarType.Double) {
            Tensor widened = tensor.to(ScalarType.Float);
            tensor.close();
            return widened;
        }
        return tensor;
    }

    private static void requireLittleEndianHost() {
        // checkpoints store little-endian bytes and we copy them verbatim
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new CheckpointException("checkpoint data is little-endian but this machine is " + ByteOrder.nativeOrder());
        }
    }
}
