package org.mert4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mert4j.tensor.FloatArray;

/**
 * NumPy {@code .npy} files (format 1.0/2.0/3.0) of little-endian float32 or int64 arrays, C order:
 * the format numpy, PyTorch and most tools read.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static void write(Path file, FloatArray a) throws IOException {
        writeFloats(file, a.values(), a.shape());
    }

    public static void writeFloats(Path file, float[] data, long... shape) throws IOException {
        writeFloats(file, FloatBuffer.wrap(data), shape);
    }

    private static void writeFloats(Path file, FloatBuffer data, long... shape) throws IOException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.remaining()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + data.remaining());
        }
        ByteBuffer body = ByteBuffer.allocate(data.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        write(file, "<f4", shape, body);
    }

    public static void writeLongs(Path file, long[] data, long... shape) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        body.asLongBuffer().put(data);
        write(file, "<i8", shape, body);
    }

    /** Writes atomically: a temporary file in the same folder, then a rename. */
    private static void write(Path file, String descr, long[] shape, ByteBuffer body) throws IOException {
        byte[] header = header(descr, shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            out.write(body.array());
        });
    }

    /** The magic, version and header of a version 1.0 file of {@code descr} values in {@code shape}, C order. */
    static byte[] header(String descr, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String dimText = shape.length == 1 ? dims.substring(0, dims.length() - 1)
                : shape.length == 0 ? "" : dims.substring(0, dims.length() - 2);
        String text = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dimText + "), }";
        int total = MAGIC.length + 2 + 2 + text.length() + 1;
        int pad = (64 - total % 64) % 64;
        byte[] padded = (text + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + padded.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length).put(padded);
        return b.array();
    }

    /** What a file's header says: the dtype, the shape, the number of values and where they start. */
    record Header(String descr, long[] shape, long count, long dataOffset) {}

    /**
     * Reads the header of an open file, leaving the channel at the first value.
     * @throws IOException naming the file when it is not a C-order .npy file
     */
    static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
        }
        int major = pre.get(6);
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, b, file);
            headerLen = (pre.getShort(8) & 0xffffL) | ((b.getShort(0) & 0xffffL) << 16);
            prefix = 12;
        } else {
            throw new IOException(file + ": unsupported .npy version " + major);
        }
        if (headerLen > size - prefix || headerLen > 1 << 20) {
            throw new IOException(file + ": .npy header length " + headerLen + " exceeds the file");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, file);
        String header = new String(hb.array(), StandardCharsets.US_ASCII);
        String descr = match(DESCR, header, file, "descr");
        if (match(ORDER, header, file, "fortran_order").equals("True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        String dims = match(SHAPE, header, file, "shape").trim();
        long[] shape;
        try {
            shape = dims.isEmpty() ? new long[0]
                    : Arrays.stream(dims.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                            .mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IOException(file + ": .npy shape (" + dims + ") is not a list of numbers", e);
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IOException(file + ": .npy shape (" + dims + ") has a negative size");
            }
            n = Math.multiplyExact(n, d);
        }
        return new Header(descr, shape, n, prefix + headerLen);
    }

    /** Reads a float32 (or float64, converted) array. */
    public static FloatArray readFloats(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file);
            long[] shape = h.shape();
            long n = h.count();
            int itemSize = switch (h.descr()) {
                case "<f4" -> 4;
                case "<f8" -> 8;
                default -> throw new IOException(file + ": dtype " + h.descr() + " is not float32/float64");
            };
            long bytes = n * itemSize;
            if (bytes != ch.size() - h.dataOffset() || n > Integer.MAX_VALUE) {
                throw new IOException(file + ": shape " + Arrays.toString(shape) + " needs " + bytes
                        + " bytes of data, the file has " + (ch.size() - h.dataOffset()));
            }
            ByteBuffer body = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, body, file);
            body.flip();
            float[] data = new float[(int) n];
            if (itemSize == 4) {
                body.asFloatBuffer().get(data);
            } else {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) body.getDouble();
                }
            }
            return new FloatArray(data, shape);
        }
    }

    private static String match(Pattern p, String header, Path file, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no " + what);
        }
        return m.group(1);
    }

    static void readFully(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException(file + ": truncated .npy file");
            }
        }
    }
}
