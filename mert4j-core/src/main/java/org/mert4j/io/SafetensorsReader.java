package org.mert4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Reads Hugging Face {@code .safetensors} files: an 8-byte little-endian header length, a JSON
 * header, then raw tensor bytes. The whole header is validated before any tensor is allocated, so a
 * hostile or truncated file produces a {@link CheckpointException} rather than a native crash.
 * F16, BF16 and F64 tensors are widened to float32; integer and bool tensors keep their type.
 */
public final class SafetensorsReader {

    /** Same cap the reference implementation uses; real headers are a few hundred KB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafetensorsReader() {
    }

    /** One validated header entry; offsets are relative to the start of the data section. */
    record Entry(TensorSpec spec, long begin, long end) {
    }

    /** A validated header: entries in file order, free-form metadata and where the data starts. */
    record Header(Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /** Tensor names, dtypes and shapes in header order, without reading tensor data. */
    public static Map<String, TensorSpec> header(Path file) {
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        for (Entry e : readHeader(file).entries().values()) {
            specs.put(e.spec().name(), e.spec());
        }
        return Collections.unmodifiableMap(specs);
    }

    /** The optional {@code __metadata__} string map; empty when the file has none. */
    public static Map<String, String> metadata(Path file) {
        return readHeader(file).metadata();
    }

    /** Reads every tensor; the caller owns (and should close) the returned state dict. */
    public static StateDict read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = parseHeader(file, ch);
            StateDict out = new StateDict();
            try {
                for (Entry e : header.entries().values()) {
                    TensorSpec spec = e.spec();
                    Tensor t = NativeTensors.empty(spec.dtype(), spec.shape());
                    try {
                        NativeTensors.readFrom(ch, header.dataStart() + e.begin(), t);
                    } catch (IOException | RuntimeException ex) {
                        t.close();
                        throw ex;
                    }
                    out.put(spec.name(), NativeTensors.widenToFloat32(t));
                }
                return out;
            } catch (IOException | RuntimeException ex) {
                out.close();
                throw ex;
            }
        } catch (IOException e) {
            throw new CheckpointException(name(file) + ": cannot read: " + e, e);
        }
    }

    static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parseHeader(file, ch);
        } catch (IOException e) {
            throw new CheckpointException(name(file) + ": cannot read: " + e, e);
        }
    }

    private static Header parseHeader(Path file, FileChannel ch) throws IOException {
        String f = name(file);
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new CheckpointException(f + ": file has " + fileSize
                    + " bytes but a safetensors file needs at least 8 (the header length); is it truncated?");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.getLong(0); // u64: a negative long means >= 2^63
        if (headerLen <= 0 || headerLen > fileSize - 8 || headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointException(f + ": header length is " + Long.toUnsignedString(headerLen)
                    + " bytes but must be between 1 and min(file size - 8 = " + (fileSize - 8) + ", "
                    + MAX_HEADER_BYTES + "); not a safetensors file or truncated");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8);
        JsonNode root;
        try {
            root = JSON.readTree(headerBuf.array());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(f + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(f + ": header must be a JSON object but is "
                    + (root == null ? "empty" : root.getNodeType()));
        }
        long dataStart = 8 + headerLen;
        long dataSize = fileSize - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(f, field.getValue());
            } else {
                entries.put(field.getKey(), parseEntry(f, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(f, entries.values());
        return new Header(Collections.unmodifiableMap(entries), metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(String f, JsonNode node) {
        if (!node.isObject()) {
            throw new CheckpointException(f + ": " + METADATA_KEY + " must be an object of strings but is " + node.getNodeType());
        }
        Map<String, String> md = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(f + ": " + METADATA_KEY + " value for '" + e.getKey()
                        + "' must be a string but is " + e.getValue().getNodeType());
            }
            md.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(md);
    }

    private static Entry parseEntry(String f, String key, JsonNode node, long dataSize) {
        String where = f + ": tensor '" + key + "'";
        if (!node.isObject()) {
            throw new CheckpointException(where + " must be a JSON object with dtype, shape and data_offsets but is " + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException(where + " needs a string 'dtype' but has " + dtypeNode);
        }
        DType dtype = DType.fromSafetensorsName(dtypeNode.textValue()).orElseThrow(() -> new CheckpointException(
                where + " has unsupported dtype '" + dtypeNode.textValue() + "'; expected one of " + Arrays.toString(DType.values())));
        long[] shape = longArray(where, "shape", node.get("shape"), -1);
        long[] offsets = longArray(where, "data_offsets", node.get("data_offsets"), 2);
        long numel = 1;
        try {
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            Math.multiplyExact(numel, (long) dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + " has shape " + Arrays.toString(shape)
                    + " whose byte size does not fit in 64 bits");
        }
        long need = numel * dtype.itemSize();
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new CheckpointException(where + " has data_offsets [" + begin + ", " + end + "] but begin must be <= end");
        }
        if (end > dataSize) {
            throw new CheckpointException(where + " has data_offsets [" + begin + ", " + end
                    + "] but the data section has only " + dataSize + " bytes; is the file truncated?");
        }
        if (end - begin != need) {
            throw new CheckpointException(where + " has data_offsets [" + begin + ", " + end + "] ("
                    + (end - begin) + " bytes) but dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " need " + need + " bytes");
        }
        return new Entry(new TensorSpec(key, dtype, shape), begin, end);
    }

    /** Parses an array of non-negative integers; {@code length} -1 means any length. */
    private static long[] longArray(String where, String field, JsonNode node, int length) {
        if (node == null || !node.isArray()) {
            throw new CheckpointException(where + " needs an array '" + field + "' but has " + node);
        }
        if (length >= 0 && node.size() != length) {
            throw new CheckpointException(where + " has '" + field + "' " + node + " but expected " + length + " numbers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new CheckpointException(where + " has '" + field + "' " + node
                        + " but expected non-negative 64-bit integers; element " + i + " is " + v);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkNoOverlap(String f, Iterable<Entry> entries) {
        List<Entry> sorted = new ArrayList<>();
        for (Entry e : entries) {
            if (e.end() > e.begin()) { // empty tensors occupy no bytes and cannot overlap
                sorted.add(e);
            }
        }
        sorted.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry prev = sorted.get(i - 1);
            Entry cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new CheckpointException(f + ": tensor '" + cur.spec().name() + "' data_offsets ["
                        + cur.begin() + ", " + cur.end() + "] overlap tensor '" + prev.spec().name() + "' ["
                        + prev.begin() + ", " + prev.end() + "]; expected disjoint byte ranges");
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    static String name(Path file) {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }
}
