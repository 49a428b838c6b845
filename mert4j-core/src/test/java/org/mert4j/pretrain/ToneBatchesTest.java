package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.mert4j.model.MertConfig;

/** The synthetic source tests train on and the bench times: deterministic, seekable, labelled by pitch. */
class ToneBatchesTest {
    private static final MertConfig TINY = MertConfig.preset("tiny");

    @Test
    void aBatchDependsOnlyOnSeedAndNumber() {
        ToneBatches a = new ToneBatches(TINY, ToneBatches.Settings.of(2, 12_000, 4, 9));
        a.next();
        ObjectNode second = a.position();
        PretrainBatch b1 = a.next();
        PretrainBatch b2 = a.next();
        a.seek(second);
        assertArrayEquals(b1.waves(), a.next().waves());
        assertFalse(java.util.Arrays.deepEquals(b1.waves(), b2.waves()), "consecutive batches differ");
        assertEquals(TINY.framesFor(12_000), b1.frames());
        for (int[] clip : b1.labels()[0]) {
            for (int label : clip) {
                assertTrue(label >= 0 && label < 4, "label " + label + " is not one of 4 pitches");
            }
        }
    }

    @Test
    void prebuiltBatchesComeInTurn() {
        ToneBatches.Settings s = ToneBatches.Settings.of(1, 12_000, 8, 1).withLabels(3, 1024);
        ToneBatches source = ToneBatches.prebuilt(TINY, s, 2);
        PretrainBatch first = source.next();
        PretrainBatch second = source.next();
        assertSame(first, source.next());
        assertSame(second, source.next());
        assertEquals(3, first.labels().length);
        assertArrayEquals(new int[] {1024, 1024, 1024}, source.classes());
    }
}
