package org.mert4j.tensor;

import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Copies between Java arrays and libtorch tensors, and small shape helpers. */
public final class Tensors {
    private Tensors() {}

    /** A new CPU float32 tensor holding a copy of {@code data}, viewed as {@code shape}. */
    public static Tensor fromFloats(float[] data, long... shape) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        Tensor t = torch.empty(shape);
        if (n > 0) {
            try (FloatPointer p = new FloatPointer(t.data_ptr())) {
                p.capacity(n).put(data);
            }
        }
        return t;
    }

    /** A new CPU float32 tensor holding a copy of {@code a}, in its shape. */
    public static Tensor fromFloats(FloatArray a) {
        long[] shape = a.shape();
        Tensor t = torch.empty(shape);
        if (t.numel() > 0) {
            try (FloatPointer p = new FloatPointer(t.data_ptr())) {
                p.capacity(t.numel()).asBuffer().put(a.values());
            }
        }
        return t;
    }

    /** A new CPU int64 tensor holding a copy of {@code data}, viewed as {@code shape}. */
    public static Tensor fromLongs(long[] data, long... shape) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        Tensor t = torch.empty(shape, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long),
                new org.bytedeco.pytorch.MemoryFormatOptional());
        if (n > 0) {
            try (org.bytedeco.javacpp.LongPointer p = new org.bytedeco.javacpp.LongPointer(t.data_ptr())) {
                p.capacity(n).put(data);
            }
        }
        return t;
    }

    /** A new 1-D CPU float64 tensor holding a copy of {@code data}. */
    public static Tensor fromDoubles(double[] data) {
        Tensor t = torch.empty(new long[] {data.length}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double),
                new org.bytedeco.pytorch.MemoryFormatOptional());
        if (data.length > 0) {
            try (org.bytedeco.javacpp.DoublePointer p = new org.bytedeco.javacpp.DoublePointer(t.data_ptr())) {
                p.capacity(data.length).put(data);
            }
        }
        return t;
    }

    /** The values of a tensor as doubles, in row-major order. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.to(new Device("cpu"), torch.ScalarType.Double).contiguous();
        double[] out = new double[Math.toIntExact(c.numel())];
        if (out.length > 0) {
            try (org.bytedeco.javacpp.DoublePointer p = new org.bytedeco.javacpp.DoublePointer(c.data_ptr())) {
                p.capacity(out.length).get(out);
            }
        }
        return out;
    }

    /** The values of an integer tensor as longs, in row-major order. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.to(new Device("cpu"), torch.ScalarType.Long).contiguous();
        long n = c.numel();
        long[] out = new long[Math.toIntExact(n)];
        if (n > 0) {
            try (org.bytedeco.javacpp.LongPointer p = new org.bytedeco.javacpp.LongPointer(c.data_ptr())) {
                p.capacity(n).get(out);
            }
        }
        return out;
    }

    /** The rows of a 2-D integer tensor [K, T] (any device) as Java ints [K][T]. */
    public static int[][] toIntRows(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("expected a 2-D tensor, got " + shapeString(t));
        }
        int rows = Math.toIntExact(t.size(0));
        int cols = Math.toIntExact(t.size(1));
        long[] flat = toLongs(t);
        int[][] out = new int[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = Math.toIntExact(flat[i * cols + j]);
            }
        }
        return out;
    }

    /** The values of a float tensor (any device, any layout) in row-major order. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.to(new Device("cpu"), torch.ScalarType.Float).contiguous();
        long n = c.numel();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + n + " values does not fit a Java array");
        }
        float[] out = new float[(int) n];
        if (n > 0) {
            try (FloatPointer p = new FloatPointer(c.data_ptr())) {
                p.capacity(n).get(out);
            }
        }
        return out;
    }

    public static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    public static long numel(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static String shapeString(Tensor t) {
        return Arrays.toString(shape(t));
    }
}
