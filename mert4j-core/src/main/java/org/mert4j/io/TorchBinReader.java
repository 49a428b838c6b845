package org.mert4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.mert4j.io.RestrictedUnpickler.StorageRef;
import org.mert4j.io.RestrictedUnpickler.TensorRef;

/**
 * Reads a {@code pytorch_model.bin} written by {@code torch.save} (the zip format of torch 1.6 and
 * later): {@code <prefix>/data.pkl} describes the state dict, {@code <prefix>/data/<key>} hold raw
 * storages. The pickle is decoded by {@link RestrictedUnpickler}, which never executes code. Every
 * view is bounds-checked against its storage before any native call, then materialised as a
 * contiguous tensor equal to what Python loads. Floating tensors are widened to float32.
 */
public final class TorchBinReader {

    /** torch's pickle for a state dict is a few bytes per tensor; anything larger is suspicious. */
    static final long MAX_PICKLE_BYTES = 256L * 1024 * 1024;

    private TorchBinReader() {
    }

    /** Reads every tensor of the state dict; the caller owns (and should close) the result. */
    public static StateDict read(Path file) {
        String f = SafetensorsReader.name(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(f + ": not a zip archive (" + e.getMessage()
                    + "); only the zip format torch.save has written since torch 1.6 is supported", e);
        } catch (IOException e) {
            throw new CheckpointException(f + ": cannot read: " + e, e);
        }
        try (zip) {
            String prefix = findPrefix(f, zip);
            checkByteOrder(f, zip, prefix);
            Map<String, TensorRef> refs = stateDict(f, RestrictedUnpickler.load(f, readSmall(f, zip, prefix + "data.pkl")));
            validate(f, zip, prefix, refs);
            return materialise(f, zip, prefix, refs);
        } catch (IOException e) {
            throw new CheckpointException(f + ": cannot read: " + e, e);
        }
    }

    private static String findPrefix(String f, ZipFile zip) {
        List<String> pickles = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.equals("data.pkl") || name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9) {
                pickles.add(name);
            }
        }
        if (pickles.size() != 1) {
            throw new CheckpointException(f + ": expected exactly one '<prefix>/data.pkl' record but found "
                    + pickles.size() + " " + pickles + "; not a torch.save archive?");
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
    }

    private static void checkByteOrder(String f, ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return; // archives from before torch 1.10 have no byteorder record and are little-endian
        }
        String order = new String(readSmall(f, zip, prefix + "byteorder"), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new CheckpointException(f + ": byteorder record says '" + order + "' but only 'little' is supported");
        }
    }

    private static byte[] readSmall(String f, ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new CheckpointException(f + ": archive has no '" + name + "' record");
        }
        if (e.getSize() > MAX_PICKLE_BYTES) {
            throw new CheckpointException(f + ": record '" + name + "' has " + e.getSize()
                    + " bytes; expected at most " + MAX_PICKLE_BYTES);
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) MAX_PICKLE_BYTES + 1);
            if (b.length > MAX_PICKLE_BYTES) {
                throw new CheckpointException(f + ": record '" + name + "' is larger than " + MAX_PICKLE_BYTES + " bytes");
            }
            return b;
        }
    }

    private static Map<String, TensorRef> stateDict(String f, Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new CheckpointException(f + ": expected the pickle to hold a dict of tensors but it holds "
                    + (root == null ? "nothing" : root.getClass().getSimpleName()));
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CheckpointException(f + ": state dict key " + e.getKey() + " is not a string");
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointException(f + ": state dict entry '" + key + "' is not a tensor but "
                        + e.getValue().getClass().getSimpleName() + "; nested or non-tensor state dicts are not supported");
            }
            out.put(key, ref);
        }
        return out;
    }

    /** Checks record sizes and every view's bounds in Java, so no native call can read out of range. */
    private static void validate(String f, ZipFile zip, String prefix, Map<String, TensorRef> refs) {
        Map<String, StorageRef> checked = new HashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            String where = f + ": tensor '" + e.getKey() + "'";
            TensorRef t = e.getValue();
            StorageRef s = t.storage();
            if (!checked.containsKey(s.key())) {
                if (s.key().isEmpty() || s.key().contains("/") || s.key().contains("\\") || s.key().contains("..")) {
                    throw new CheckpointException(where + " names storage record '" + s.key() + "', which is not a plain name");
                }
                ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
                if (entry == null) {
                    throw new CheckpointException(where + " needs storage record '" + prefix + "data/" + s.key() + "', which is missing");
                }
                long need;
                try {
                    need = Math.multiplyExact(s.numel(), (long) s.dtype().itemSize());
                } catch (ArithmeticException ex) {
                    throw new CheckpointException(where + " has storage of " + s.numel() + " elements, too large for 64 bits");
                }
                if (entry.getSize() != need) {
                    throw new CheckpointException(where + " has storage '" + s.key() + "' of " + s.numel() + " " + s.dtype()
                            + " elements needing " + need + " bytes but the record holds " + entry.getSize() + " bytes");
                }
                checked.put(s.key(), s);
            }
            long[] size = t.size();
            long[] stride = t.stride();
            if (size.length != stride.length) {
                throw new CheckpointException(where + " has size " + Arrays.toString(size) + " but stride "
                        + Arrays.toString(stride) + "; expected the same number of dimensions");
            }
            if (t.storageOffset() < 0) {
                throw new CheckpointException(where + " has negative storage offset " + t.storageOffset());
            }
            long numel = 1;
            long last = t.storageOffset(); // highest storage element the view touches
            try {
                for (int i = 0; i < size.length; i++) {
                    if (size[i] < 0 || stride[i] < 0) {
                        throw new CheckpointException(where + " has size " + Arrays.toString(size) + " and stride "
                                + Arrays.toString(stride) + "; expected non-negative values");
                    }
                    numel = Math.multiplyExact(numel, size[i]);
                    if (size[i] > 0) {
                        last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                    }
                }
            } catch (ArithmeticException ex) {
                throw new CheckpointException(where + " has size " + Arrays.toString(size) + " and stride "
                        + Arrays.toString(stride) + " too large for 64 bits");
            }
            if (numel > 0 && last >= s.numel()) {
                throw new CheckpointException(where + " with offset " + t.storageOffset() + ", size " + Arrays.toString(size)
                        + " and stride " + Arrays.toString(stride) + " reaches element " + last
                        + " but its storage '" + s.key() + "' has only " + s.numel() + " elements");
            }
        }
    }

    private static StateDict materialise(String f, ZipFile zip, String prefix, Map<String, TensorRef> refs) throws IOException {
        // release each storage after its last view so peak memory stays near one copy of the model
        Map<String, Integer> remainingUses = new HashMap<>();
        refs.values().forEach(r -> remainingUses.merge(r.storage().key(), 1, Integer::sum));
        Map<String, Tensor> loaded = new HashMap<>();
        StateDict out = new StateDict();
        try {
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef ref = e.getValue();
                StorageRef s = ref.storage();
                Tensor storage = loaded.get(s.key());
                if (storage == null) {
                    storage = loadStorage(f, zip, prefix, s);
                    loaded.put(s.key(), storage);
                }
                out.put(e.getKey(), NativeTensors.widenToFloat32(view(storage, ref)));
                if (remainingUses.merge(s.key(), -1, Integer::sum) == 0) {
                    loaded.remove(s.key()).close();
                }
            }
            return out;
        } catch (IOException | RuntimeException ex) {
            out.close();
            throw ex;
        } finally {
            loaded.values().forEach(Tensor::close);
        }
    }

    private static Tensor loadStorage(String f, ZipFile zip, String prefix, StorageRef s) throws IOException {
        Tensor t = NativeTensors.empty(s.dtype(), new long[] {s.numel()});
        try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data/" + s.key()))) {
            NativeTensors.readFrom(Channels.newChannel(in), t);
            return t;
        } catch (IOException | RuntimeException ex) {
            t.close();
            throw new CheckpointException(f + ": cannot read storage record '" + s.key() + "': " + ex.getMessage(), ex);
        }
    }

    /** A contiguous tensor equal to the view; shares memory only when the view is the whole storage. */
    private static Tensor view(Tensor storage, TensorRef ref) {
        long[] size = ref.size();
        long[] stride = ref.stride();
        long numel = 1;
        for (long d : size) {
            numel *= d;
        }
        boolean whole = ref.storageOffset() == 0 && numel == ref.storage().numel() && isContiguous(size, stride);
        try (LongOptional offset = new LongOptional(ref.storageOffset())) {
            Tensor v = storage.as_strided(size, stride, offset);
            if (whole) {
                return v;
            }
            try (v; MemoryFormatOptional contiguous = new MemoryFormatOptional(MemoryFormat.Contiguous)) {
                return v.clone(contiguous);
            }
        }
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }
}
