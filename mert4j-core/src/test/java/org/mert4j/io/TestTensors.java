package org.mert4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Small helpers for building and reading CPU tensors in tests. */
final class TestTensors {

    private TestTensors() {
    }

    static Tensor floats(long[] shape, float... values) {
        Tensor t = NativeTensors.empty(DType.F32, shape);
        if (values.length != t.numel()) {
            t.close();
            throw new IllegalArgumentException("shape and values disagree");
        }
        if (values.length > 0) {
            new FloatPointer(t.data_ptr()).put(values);
        }
        return t;
    }

    static Tensor longs(long[] shape, long... values) {
        Tensor t = NativeTensors.empty(DType.I64, shape);
        if (values.length != t.numel()) {
            t.close();
            throw new IllegalArgumentException("shape and values disagree");
        }
        if (values.length > 0) {
            new LongPointer(t.data_ptr()).put(values);
        }
        return t;
    }

    /** Values of a tensor as doubles (any dtype, any layout), read through a float64 contiguous copy. */
    static double[] values(Tensor t) {
        try (Tensor d = t.to(ScalarType.Double).contiguous()) {
            double[] out = new double[(int) d.numel()];
            if (out.length > 0) {
                new DoublePointer(d.data_ptr()).get(out);
            }
            return out;
        }
    }

    static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    static long[] longValues(Tensor t) {
        try (Tensor c = t.contiguous()) {
            long[] out = new long[(int) c.numel()];
            if (out.length > 0) {
                new LongPointer(c.data_ptr()).get(out);
            }
            return out;
        }
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] bytes(Tensor t) {
        byte[] out = new byte[(int) t.nbytes()];
        if (out.length > 0) {
            new BytePointer(t.data_ptr()).get(out);
        }
        return out;
    }
}
