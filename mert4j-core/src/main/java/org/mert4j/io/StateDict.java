package org.mert4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.bytedeco.pytorch.Tensor;

/**
 * Named CPU tensors in checkpoint order. The state dict owns its tensors: {@link #close()} releases
 * their native memory, and {@link #remove(String)} hands ownership of one tensor to the caller.
 */
public final class StateDict implements AutoCloseable {

    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private boolean closed;

    public StateDict() {
    }

    /** Adds a tensor, taking ownership; a tensor already stored under the name is released. */
    public void put(String name, Tensor tensor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tensor, "tensor");
        ensureOpen();
        Tensor previous = tensors.put(name, tensor);
        if (previous != null && previous != tensor) {
            previous.close();
        }
    }

    /** The tensor stored under {@code name}; still owned by this state dict. */
    public Tensor get(String name) {
        ensureOpen();
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new NoSuchElementException("no tensor named '" + name + "' among " + tensors.size()
                    + " tensors" + nearNames(name));
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Removes a tensor and gives its ownership to the caller; null when absent. */
    public Tensor remove(String name) {
        ensureOpen();
        return tensors.remove(name);
    }

    /** Tensor names in checkpoint order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
    }

    public int size() {
        return tensors.size();
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** A read-only ordered view; the tensors stay owned by this state dict. */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Releases every tensor still held. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Tensor t : tensors.values()) {
            t.close();
        }
        tensors.clear();
    }

    private void ensureOpen() {
        if (closed) {
            // a closed state dict holds freed native tensors; touching them could crash the JVM
            throw new IllegalStateException("state dict is closed");
        }
    }

    private String nearNames(String name) {
        List<String> near = new ArrayList<>();
        String tail = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
        for (String k : tensors.keySet()) {
            if (k.endsWith(tail) && near.size() < 5) {
                near.add(k);
            }
        }
        return near.isEmpty() ? "" : "; similar: " + near;
    }
}
