package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerSpecTest {
    @Test
    void allKeepsEveryHiddenState() {
        assertTrue(LayerSpec.parse("all").isAll());
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
        for (String bad : new String[] {"", "x", "1-", "5-3", "-3--5", "1,,2", "1.5", "--1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse(bad));
            assertTrue(e.getMessage().contains("--layers"), e.getMessage());
        }
    }

    /** Python users write -1 for the last layer. */
    @Test
    void negativeIndicesCountBackFromTheLastLayer() {
        assertArrayEquals(new int[] {12}, LayerSpec.parse("-1").resolve(13));
        assertArrayEquals(new int[] {6, 12}, LayerSpec.parse("6,-1").resolve(13));
        assertArrayEquals(new int[] {10, 11, 12}, LayerSpec.parse("-3--1").resolve(13));
        assertArrayEquals(new int[] {11, 12}, LayerSpec.parse("11--1").resolve(13));
        assertArrayEquals(new int[] {12}, LayerSpec.parse("12,-1").resolve(13), "the same layer twice is kept once");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("-14").resolve(13));
        assertTrue(e.getMessage().contains("-14") && e.getMessage().contains("0-12"), e.getMessage());
    }

    @Test
    void outOfRangeNamesTheLayerAndTheValidRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("0,99").resolve(13));
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains("0-12"), e.getMessage());
    }
}
