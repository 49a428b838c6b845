package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * libtorch calls back into the Java peers of registered modules (train/eval); a peer that the
 * garbage collector took would make those calls fail. Collect hard, then switch modes and run.
 */
class ModuleLifetimeTest {
    @Test
    void modulesSurviveGarbageCollection() throws Exception {
        MertEncoder e = new MertEncoder(MertConfig.preset("tiny"));
        try {
            for (int i = 0; i < 5; i++) {
                byte[][] churn = new byte[200][];
                for (int k = 0; k < churn.length; k++) {
                    churn[k] = new byte[1 << 16];
                }
                System.gc();
                Thread.sleep(20);
            }
            e.train(true);
            e.eval();
            try (InferenceMode guard = new InferenceMode()) {
                assertEquals(3, e.forward(torch.randn(1, 24000)).size());
            }
        } finally {
            e.close();
        }
    }
}
