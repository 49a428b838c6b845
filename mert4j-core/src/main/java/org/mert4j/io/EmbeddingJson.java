package org.mert4j.io;

import java.io.IOException;
import java.nio.FloatBuffer;

import com.fasterxml.jackson.core.JsonGenerator;
import org.mert4j.tensor.FloatArray;

/**
 * Features as JSON, the way {@code mert embed --format jsonl} writes them and {@code mert serve} answers
 * them: {@code "shape"}, {@code "layers"} and {@code "embedding"} as nested arrays of that shape.
 */
public final class EmbeddingJson {
    private EmbeddingJson() {
    }

    /** Writes the fields {@code shape}, {@code layers} and {@code embedding} into the current object. */
    public static void writeFields(JsonGenerator g, FloatArray values, int[] layers) throws IOException {
        long[] shape = values.shape();
        g.writeArrayFieldStart("shape");
        for (long d : shape) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("layers");
        for (int l : layers) {
            g.writeNumber(l);
        }
        g.writeEndArray();
        g.writeFieldName("embedding");
        writeNested(g, values.values(), shape, 0, 0);
    }

    /** Writes {@code data} from {@code offset} as nested arrays of {@code shape[dim..]}; returns the new offset. */
    private static int writeNested(JsonGenerator g, FloatBuffer data, long[] shape, int dim, int offset)
            throws IOException {
        g.writeStartArray();
        if (dim == shape.length - 1) {
            for (int i = 0; i < shape[dim]; i++) {
                g.writeNumber(data.get(offset++));
            }
        } else {
            for (int i = 0; i < shape[dim]; i++) {
                offset = writeNested(g, data, shape, dim + 1, offset);
            }
        }
        g.writeEndArray();
        return offset;
    }
}
