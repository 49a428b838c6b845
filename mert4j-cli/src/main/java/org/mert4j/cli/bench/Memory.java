package org.mert4j.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: peak resident set from /proc/self/status (VmHWM, Linux only; -1 elsewhere),
 * the Java heap's peak use, and native memory estimated as the resident peak minus the heap's committed
 * size (libtorch tensors, weights and libraries live outside the heap).
 */
public final class Memory {
    private Memory() {}

    /** Peak resident set size in bytes, or -1 where /proc is not available. */
    public static long peakRssBytes() {
        return procStatus("VmHWM:");
    }

    public static long rssBytes() {
        return procStatus("VmRSS:");
    }

    /** Sum of the peak use of the heap's memory pools. */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    public static long committedHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    private static long procStatus(String key) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // reported in kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
