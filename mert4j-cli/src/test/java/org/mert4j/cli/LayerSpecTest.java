package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerSpecTest {
    @Test
    void allKeepsEveryHiddenState() {
        assertNull(LayerSpec.parse("all").indicesOrNull());
        assertArrayEquals(new int[] {0, 1, 2, 3}, LayerSpec.parse("ALL").resolve(4));
    }

    @Test
    void listsAndRangesKeepTypedOrderWithoutRepeats() {
        assertArrayEquals(new int[] {0, 6, 12}, LayerSpec.parse("0,6,12").resolve(13));
        assertArrayEquals(new int[] {3, 4, 5}, LayerSpec.parse("3-5").resolve(13));
        assertArrayEquals(new int[] {12, 0, 4, 5, 6}, LayerSpec.parse(" 12, 0,4-6,5 ").resolve(13));
    }

    @Test
    void badSyntaxIsRejectedWithTheValue() {
        for (String bad : new String[] {"", "x", "1-", "5-3", "-1", "1,,2", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(bad));
            assertTrue(e.getMessage().contains("--layers"), e.getMessage());
        }
    }

    @Test
    void outOfRangeNamesTheLayerAndTheValidRange() {
        UsageException e = assertThrows(UsageException.class, () -> LayerSpec.parse("0,99").resolve(13));
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("0-12"), e.getMessage());
    }
}
