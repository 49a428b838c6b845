package org.mert4j.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProbeLayerSettingsTest {
    @Test
    void settingsForAllSweepAndOneIndex() {
        assertEquals(List.of("all"), ProbeRunner.layerSettings("all", 3));
        assertEquals(List.of("0", "1", "2", "all"), ProbeRunner.layerSettings("sweep", 3));
        assertEquals(List.of("1"), ProbeRunner.layerSettings("1", 3));
    }

    /** As in Python, -1 is the last hidden state; results name it by its index. */
    @Test
    void negativeIndicesCountBackFromTheLast() {
        assertEquals(List.of("2"), ProbeRunner.layerSettings("-1", 3));
        assertEquals(List.of("0"), ProbeRunner.layerSettings("-3", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProbeRunner.layerSettings("-4", 3));
        assertTrue(e.getMessage().contains("-4") && e.getMessage().contains("0..2"), e.getMessage());
    }
}
