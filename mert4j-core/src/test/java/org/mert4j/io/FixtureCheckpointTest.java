package org.mert4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** Both readers must reproduce exactly what Python saved (values in expected.json). */
class FixtureCheckpointTest {

    @Test
    void torchBinMatchesPython() throws IOException {
        try (StateDict sd = TorchBinReader.read(Fixtures.path("state_dict.bin"))) {
            assertMatchesExpected(sd, true);
        }
    }

    @Test
    void safetensorsMatchesPython() throws IOException {
        try (StateDict sd = SafetensorsReader.read(Fixtures.path("state_dict.safetensors"))) {
            assertMatchesExpected(sd, false); // Python's writer sorts keys, so only the set is comparable
        }
        Map<String, TensorSpec> header = SafetensorsReader.header(Fixtures.path("state_dict.safetensors"));
        assertEquals(DType.F16, header.get("half.weight").dtype());
        assertEquals(DType.BF16, header.get("bf16.weight").dtype());
        assertEquals(DType.I64, header.get("position_ids").dtype());
        assertArrayEquals(new long[] {5, 4}, header.get("shared.transposed").shape());
        assertEquals(Map.of("format", "pt"), SafetensorsReader.metadata(Fixtures.path("state_dict.safetensors")));
    }

    @Test
    void viewsOfOneStorageDoNotShareMemoryWithEachOther() {
        try (StateDict sd = TorchBinReader.read(Fixtures.path("state_dict.bin"))) {
            Tensor base = sd.get("shared.base");
            Tensor row = sd.get("shared.row");
            Tensor transposed = sd.get("shared.transposed");
            assertTrue(row.is_contiguous() && transposed.is_contiguous());
            // writing into one tensor must not change another: they are independent copies
            double before = TestTensors.values(base)[0];
            transposed.fill_(new org.bytedeco.pytorch.Scalar(42.0));
            assertEquals(before, TestTensors.values(base)[0]);
        }
    }

    private static void assertMatchesExpected(StateDict sd, boolean sameOrder) throws IOException {
        JsonNode expected = Fixtures.expected();
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        if (sameOrder) {
            assertEquals(names, sd.names(), "tensor names and order");
        } else {
            assertEquals(new java.util.TreeSet<>(names), new java.util.TreeSet<>(sd.names()), "tensor names");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode spec = e.getValue();
            Tensor t = sd.get(name);
            assertTrue(t.is_contiguous() && t.is_cpu(), name + " must be a contiguous CPU tensor");
            long[] shape = new long[spec.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = spec.get("shape").get(i).longValue();
            }
            assertArrayEquals(shape, TestTensors.shape(t), name + " shape");
            JsonNode values = spec.get("values");
            if (spec.get("dtype").textValue().equals("int64")) {
                assertEquals(ScalarType.Long, t.scalar_type().intern(), name + " keeps int64");
                long[] want = new long[values.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = values.get(i).longValue();
                }
                assertArrayEquals(want, TestTensors.longValues(t), name);
            } else {
                assertEquals(ScalarType.Float, t.scalar_type().intern(), name + " is widened to float32");
                double[] want = new double[values.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) values.get(i).doubleValue(); // every fixture value is exact in float32
                }
                assertArrayEquals(want, TestTensors.values(t), 0.0, name + " values");
            }
        }
    }
}
