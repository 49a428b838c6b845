package org.mert4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ReadOnlyBufferException;

import org.junit.jupiter.api.Test;

/** FloatArray is a value: compared by content, and nothing it hands out changes it. */
class FloatArrayTest {
    @Test
    void equalByContentAndNotChangedThroughWhatItHandsOut() {
        FloatArray a = new FloatArray(new float[] {1, 2, 3, 4}, new long[] {2, 2});
        FloatArray b = new FloatArray(new float[] {1, 2, 3, 4}, new long[] {2, 2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new FloatArray(new float[] {1, 2, 3, 4}, new long[] {4}));
        assertNotEquals(a, new FloatArray(new float[] {1, 2, 3, 5}, new long[] {2, 2}));
        a.data()[0] = 9;
        a.shape()[0] = 4;
        assertThrows(ReadOnlyBufferException.class, () -> a.values().put(0, 9f));
        assertEquals(b, a);
        assertArrayEquals(new float[] {3, 4}, a.row(1));
    }
}
