package org.mert4j.nn.cpu;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.Pointer;

/**
 * The native handles a CPU inference layer creates and owns (derived weights, int8 packs). Each is
 * retained when taken, so that a caller's {@code PointerScope} cannot free it, and released when the
 * layer is closed, which frees it then rather than whenever the collector runs.
 */
final class Owned implements AutoCloseable {
    private final List<Pointer> handles = new ArrayList<>();

    synchronized <P extends Pointer> P keep(P handle) {
        handle.retainReference();
        handles.add(handle);
        return handle;
    }

    @Override
    public synchronized void close() {
        for (Pointer p : handles) {
            p.releaseReference();
        }
        handles.clear();
    }
}
