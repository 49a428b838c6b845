package org.mert4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both update paths against torch.optim.AdamW (fixture from tools/reference/make_optim_fixtures.py):
 * four steps with a changing learning rate. Tolerance 1e-6: fp32 arithmetic on values of order 1, where
 * the fused kernel and the per-tensor update round differently in the last bits.
 */
class AdamWTest {
    private static JsonNode fixture() throws Exception {
        try (InputStream in = AdamWTest.class.getResourceAsStream("/optim/adamw.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static Tensor tensor(JsonNode values, JsonNode shape) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i).asLong();
        }
        return torch.tensor(v).reshape(s);
    }

    @ParameterizedTest(name = "fused={0}")
    @ValueSource(booleans = {true, false})
    void followsTorchAdamW(boolean fused) throws Exception {
        JsonNode f = fixture();
        Map<String, Tensor> params = new LinkedHashMap<>();
        f.get("initial").fields().forEachRemaining(e ->
                params.put(e.getKey(), tensor(e.getValue(), f.get("shapes").get(e.getKey())).requires_grad_(true)));
        AdamW opt = new AdamW(params, f.get("beta1").asDouble(), f.get("beta2").asDouble(), f.get("eps").asDouble(),
                f.get("weight_decay").asDouble(), fused);
        assertEquals(fused, opt.fused(), "the fused kernel is found in this libtorch");
        int step = 0;
        for (JsonNode s : f.get("steps")) {
            step++;
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor g = tensor(s.get("grads").get(e.getKey()), f.get("shapes").get(e.getKey()));
                e.getValue().mul(g).sum().backward(); // d/dp sum(p * g) = g
            }
            opt.step(s.get("lr").asDouble());
            opt.zeroGrad();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor expected = tensor(s.get("after").get(e.getKey()), f.get("shapes").get(e.getKey()));
                double diff;
                try (NoGradGuard guard = new NoGradGuard()) {
                    diff = e.getValue().sub(expected).abs().max().item_double();
                }
                assertTrue(diff < 1e-6, "step " + step + " " + e.getKey() + ": max difference " + diff);
            }
        }
        assertEquals(4, opt.stepCount());
    }
}
