package org.mert4j.tensor;

import java.util.Arrays;

/** A float32 array in row-major order with its shape: what mert4j hands back to Java callers. */
public record FloatArray(float[] data, long[] shape) {
    public FloatArray {
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
    public String toString() {
        return "float32" + Arrays.toString(shape);
    }
}
