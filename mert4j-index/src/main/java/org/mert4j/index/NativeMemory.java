package org.mert4j.index;

import org.bytedeco.javacpp.Pointer;

/**
 * Gives freed native memory back to the system. glibc keeps what libtorch frees in per-thread arenas for
 * reuse; after many scores matrices of a few megabytes (k-means, all neighbours) that kept memory reached
 * 4.7 GB next to a 3 GB index. {@code malloc_trim} returns the free pages of every arena.
 */
final class NativeMemory {
    private NativeMemory() {
    }

    static void release() {
        Pointer.trimMemory();
    }
}
