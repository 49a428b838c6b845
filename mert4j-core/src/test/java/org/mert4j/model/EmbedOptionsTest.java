package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** EmbedOptions is a value: its layer list is compared by content and copied in and out. */
class EmbedOptionsTest {
    @Test
    void layersAreComparedByContentAndCopied() {
        int[] layers = {1, 2};
        EmbedOptions a = EmbedOptions.MARBLE.withLayers(layers);
        assertEquals(a, EmbedOptions.MARBLE.withLayers(new int[] {1, 2}));
        assertEquals(a.hashCode(), EmbedOptions.MARBLE.withLayers(new int[] {1, 2}).hashCode());
        assertNotEquals(a, EmbedOptions.MARBLE.withLayers(new int[] {1, 3}));
        layers[0] = 7;
        a.layers()[1] = 7;
        assertArrayEquals(new int[] {1, 2}, a.layers());
    }
}
