package org.mert4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mert4j.tensor.FloatArray;

/**
 * Int8 inference (transformer Linears and the conv front after its first layer) against fp32 on the
 * same model: pooled embeddings of every layer stay close, and the int8 path really ran.
 */
class Int8InferenceTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @ParameterizedTest
    @ValueSource(strings = {"example", "postln-group", "preln-layer"})
    void pooledEmbeddingsStayCloseToFp32(String which) {
        Path dir = which.equals("example") ? EXAMPLES.resolve("tiny-mert") : Fixtures.ROOT.resolve(which);
        Path audio = EXAMPLES.resolve("audio").resolve("chords-24k.flac");
        try (MertModel fp32 = MertModel.load(dir); MertModel int8 = MertModel.load(dir).quantizeDynamicInt8()) {
            FloatArray a = fp32.embed(audio);
            FloatArray b = int8.embed(audio);
            assertEquals(a.shape()[0], b.shape()[0]);
            double maxDiff = 0;
            for (int layer = 0; layer < a.shape()[0]; layer++) {
                double cos = cosine(a.row(layer), b.row(layer));
                // what docs/performance.md promises; the lowest layer measures 0.99978 (example), 0.99992
                // (postln-group) and 0.99995 (preln-layer)
                assertTrue(cos >= 0.9996, which + " layer " + layer + " cosine " + cos);
                for (int i = 0; i < a.row(layer).length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a.row(layer)[i] - b.row(layer)[i]));
                }
            }
            assertTrue(maxDiff > 0, which + ": int8 gave bit-identical features, so it did not run");
            // layer 0 is the input to the transformer: it differs only if the conv front ran in int8
            float[] first0 = a.row(0);
            float[] first1 = b.row(0);
            double d0 = 0;
            for (int i = 0; i < first0.length; i++) {
                d0 = Math.max(d0, Math.abs(first0[i] - first1[i]));
            }
            assertTrue(d0 > 0, which + ": the conv front did not run in int8");
        }
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * A clip long enough (200,000 samples: 19,998 frames after the second layer) for the int8 conv
     * window products to go in pieces of 16,384 frames: the assembled output must line up with fp32
     * frame for frame, which a misplaced piece would break.
     */
    @Test
    void longClipInPiecesFollowsFp32() {
        torch.manual_seed(12);
        try (MertModel fp32 = MertModel.load(Fixtures.ROOT.resolve("postln-group"));
             MertModel int8 = MertModel.load(Fixtures.ROOT.resolve("postln-group")).quantizeDynamicInt8();
             PointerScope scope = new PointerScope();
             InferenceMode guard = new InferenceMode()) {
            Tensor wave = torch.randn(1, 200_000).mul(new Scalar(0.3));
            Tensor a = fp32.cpuPlan().convFeatures(wave);
            Tensor b = int8.cpuPlan().convFeatures(wave);
            assertArrayEquals(a.sizes().vec().get(), b.sizes().vec().get());
            // per frame: cosine of the 16 channels, over the frames past the first piece's end too
            Tensor cos = torch.cosine_similarity(a.squeeze(0), b.squeeze(0), 1, 1e-8);
            double worst = cos.min().item_double();
            assertTrue(worst > 0.95, "worst frame cosine " + worst);
            assertTrue(cos.mean().item_double() > 0.99, "mean frame cosine " + cos.mean().item_double());
        }
    }
}
