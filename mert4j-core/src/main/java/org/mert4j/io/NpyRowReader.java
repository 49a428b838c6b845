package org.mert4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Rows of a 2-D float32 {@code .npy} file, read a block at a time: for arrays larger than the heap. */
public final class NpyRowReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final long rows;
    private final int columns;
    private final long dataOffset;

    public NpyRowReader(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Npy.Header h = Npy.readHeader(channel, file);
            if (!"<f4".equals(h.descr()) || h.shape().length != 2 || h.shape()[1] < 1 || h.shape()[1] > 1 << 16) {
                throw new IOException(file + ": expected a 2-D float32 array [rows, columns], found " + h.descr()
                        + " " + Arrays.toString(h.shape()));
            }
            if (channel.size() - h.dataOffset() != 4 * h.count()) {
                throw new IOException(file + ": shape " + Arrays.toString(h.shape()) + " needs " + 4 * h.count()
                        + " bytes of data, the file has " + (channel.size() - h.dataOffset()));
            }
            this.rows = h.shape()[0];
            this.columns = (int) h.shape()[1];
            this.dataOffset = h.dataOffset();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public long rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Rows {@code first} to {@code first + count - 1}, one after the other. */
    public float[] read(long first, int count) throws IOException {
        if (first < 0 || count < 0 || first + count > rows || (long) count * columns > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(file + ": rows " + first + " + " + count + " outside 0.." + rows);
        }
        ByteBuffer b = ByteBuffer.allocate(4 * count * columns).order(ByteOrder.LITTLE_ENDIAN);
        long at = dataOffset + 4L * first * columns;
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new IOException(file + ": ends before row " + (first + count));
            }
        }
        b.flip();
        float[] out = new float[count * columns];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
