package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class StateDictTest {

    @Test
    void keepsOrderAndHandsOverOwnershipOnRemove() {
        Tensor kept;
        try (StateDict sd = new StateDict()) {
            sd.put("b", TestTensors.floats(new long[] {1}, 1));
            sd.put("a", TestTensors.floats(new long[] {2}, 2, 3));
            assertEquals(List.of("b", "a"), sd.names());
            assertTrue(sd.contains("a"));
            kept = sd.remove("a");
            assertFalse(sd.contains("a"));
            assertEquals(1, sd.size());
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> sd.get("a"));
            assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        }
        try (kept) {
            assertArrayEquals(new double[] {2, 3}, TestTensors.values(kept), "removed tensor survives close()");
        }
    }

    @Test
    void closedStateDictRefusesAccess() {
        StateDict sd = new StateDict();
        sd.put("w", TestTensors.floats(new long[] {1}, 1));
        sd.close();
        sd.close();
        assertEquals(0, sd.size());
        assertThrows(IllegalStateException.class, () -> sd.get("w"));
    }
}
