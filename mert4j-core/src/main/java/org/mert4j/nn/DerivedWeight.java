package org.mert4j.nn;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;

/**
 * A tensor computed from parameters (an effective or fused weight) for inference, kept until one of
 * its sources changes: in place (an optimizer step, a state-dict load: the version counter moves) or
 * by new storage ({@code module.to(device)}). Callers use it only without gradient recording, where
 * the result is a constant.
 */
public final class DerivedWeight {
    private final Supplier<Tensor> compute;
    private final Tensor[] sources;
    private long[] key;
    // the result and the sources' storages it was computed from; holding those keeps their addresses
    // from being reused by new weights
    private Tensor[] held;

    public DerivedWeight(Supplier<Tensor> compute, Tensor... sources) {
        this.compute = compute;
        this.sources = sources.clone();
    }

    public synchronized Tensor get() {
        for (Tensor s : sources) {
            if (s.__dispatch_is_inference()) {
                return compute.get(); // inference tensors have no version counter to key on
            }
        }
        long[] now = new long[2 * sources.length];
        for (int i = 0; i < sources.length; i++) {
            now[2 * i] = sources[i].__dispatch__version();
            now[2 * i + 1] = sources[i].data_ptr().address();
        }
        if (held == null || !Arrays.equals(now, key)) {
            Tensor[] fresh = new Tensor[sources.length + 1];
            fresh[0] = compute.get();
            for (int i = 0; i < sources.length; i++) {
                fresh[i + 1] = sources[i].detach();
            }
            for (Tensor t : fresh) {
                t.retainReference(); // outlives the caller's PointerScope
            }
            if (held != null) {
                for (Tensor t : held) {
                    t.releaseReference();
                }
            }
            held = fresh;
            key = now;
        }
        return held[0];
    }
}
