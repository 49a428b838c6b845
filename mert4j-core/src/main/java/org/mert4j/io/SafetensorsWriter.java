package org.mert4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Writes tensors as a {@code .safetensors} file readable by the Python {@code safetensors} package.
 * Floating tensors are stored as F32; integer and bool tensors keep their type. The file appears
 * atomically: data goes to a temporary file in the target directory, is fsynced, then renamed over
 * the target, so readers never see a half-written checkpoint.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} in map iteration order; {@code metadata} may be null or empty. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Path target = file.toAbsolutePath();
        List<Tensor> owned = new ArrayList<>();
        try {
            Map<String, Tensor> prepared = prepare(target, tensors, owned);
            byte[] header = header(prepared, metadata);
            AtomicFiles.writeChannel(target, ch -> {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (Tensor t : prepared.values()) {
                    NativeTensors.forEachWindow(t, window -> writeFully(ch, window));
                }
            });
        } catch (IOException e) {
            throw new CheckpointException(SafetensorsReader.name(target) + ": cannot write: " + e, e);
        } finally {
            for (Tensor t : owned) {
                t.close();
            }
        }
    }

    /** Returns CPU, contiguous tensors of a storable type; conversions made here are added to {@code owned}. */
    private static Map<String, Tensor> prepare(Path target, Map<String, Tensor> tensors, List<Tensor> owned) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            if (key == null || key.isEmpty() || key.equals(SafetensorsReader.METADATA_KEY)) {
                throw new CheckpointException(SafetensorsReader.name(target) + ": tensor name '" + key
                        + "' is not allowed; expected a non-empty name other than " + SafetensorsReader.METADATA_KEY);
            }
            if (t == null || t.isNull()) {
                throw new CheckpointException(SafetensorsReader.name(target) + ": tensor '" + key + "' is null");
            }
            ScalarType type = t.scalar_type();
            DType dtype = DType.fromScalarType(type).orElseThrow(() -> new CheckpointException(
                    SafetensorsReader.name(target) + ": tensor '" + key + "' has scalar type " + type
                            + " which safetensors output here does not support"));
            Tensor ready = t;
            if (dtype.isFloatingPoint() && dtype != DType.F32) {
                ready = track(owned, ready.to(ScalarType.Float));
            }
            if (!ready.is_cpu()) {
                ready = track(owned, ready.cpu());
            }
            if (!ready.is_contiguous()) {
                ready = track(owned, ready.contiguous());
            }
            out.put(key, ready);
        }
        return out;
    }

    private static Tensor track(List<Tensor> owned, Tensor t) {
        owned.add(t);
        return t;
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode md = root.putObject(SafetensorsReader.METADATA_KEY);
            metadata.forEach(md::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", DType.fromScalarType(t.scalar_type()).orElseThrow().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (long i = 0; i < t.dim(); i++) {
                shape.add(t.size(i));
            }
            long nbytes = t.nbytes();
            entry.putArray("data_offsets").add(offset).add(offset + nbytes);
            offset += nbytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        // pad with spaces so the data section starts 8-byte aligned, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = (byte) ' ';
        }
        return out;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

}
