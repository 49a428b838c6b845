package org.mert4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code .safetensors} file per input holding one F32 tensor {@code embedding} and the run's metadata.
 * Written here straight from the Java array (layout: 8-byte little-endian header length, JSON header
 * padded with spaces to a multiple of 8, raw little-endian data), which avoids a round trip through a
 * native tensor for what is a single small array.
 */
public final class SafetensorsOutput implements OutputWriter {
    public static final String TENSOR = "embedding";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunMetadata metadata;

    public SafetensorsOutput(RunMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public void write(Path target, Embedding e) throws IOException {
        float[] data = e.values().data();
        byte[] header = header(e.values().shape(), data.length * 4L, metadata.forFile(e));
        AtomicFiles.write(target, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            writeFloats(out, data);
        });
    }

    static byte[] header(long[] shape, long bytes, Map<String, String> meta) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode m = root.putObject("__metadata__");
        meta.forEach(m::put);
        ObjectNode t = root.putObject(TENSOR);
        t.put("dtype", "F32");
        for (long d : shape) {
            t.withArray("shape").add(d);
        }
        t.putArray("data_offsets").add(0).add(bytes);
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // keeps the tensor data 8-byte aligned
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }
}
