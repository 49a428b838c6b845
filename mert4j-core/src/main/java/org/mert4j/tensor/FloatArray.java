package org.mert4j.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 array in row-major order with its shape: what mert4j hands back to Java callers. A value:
 * equal when shape and values are, and not changed through what it hands out ({@link #data()} and
 * {@link #shape()} are copies; {@link #values()} reads the values in place without copying them).
 *
 * @param data  the values; the array is taken over, not copied (results can be large), so the caller
 *              must not change it afterwards
 * @param shape the dimensions, whose product is {@code data.length}
 */
public record FloatArray(float[] data, long[] shape) {
    public FloatArray {
        shape = shape.clone();
        if (Tensors.numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length
                    + " values");
        }
    }

    /** The index of the first NaN or infinite value of {@code values}, or -1 if all are finite. */
    public static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of the values. */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The values, read-only and not copied: for reading large arrays. */
    public FloatBuffer values() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    public int dim() {
        return shape.length;
    }

    /** The row {@code i} of a 2-D array. */
    public float[] row(int i) {
        if (shape.length != 2) {
            throw new IllegalStateException("row() needs a 2-D array, this is " + Arrays.toString(shape));
        }
        int w = (int) shape[1];
        return Arrays.copyOfRange(data, i * w, (i + 1) * w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatArray f && Arrays.equals(shape, f.shape) && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "float32" + Arrays.toString(shape);
    }
}
