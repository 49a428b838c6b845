package org.mert4j.tensor;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/** Parses device names as users type them ("cpu", "cuda", "cuda:1") and checks they exist. */
public final class Devices {
    private Devices() {}

    public static Device parse(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase();
        if (n.equals("cpu")) {
            return new Device("cpu");
        }
        if (n.equals("cuda") || n.startsWith("cuda:")) {
            if (!torch.cuda_is_available()) {
                throw new IllegalArgumentException("device '" + name + "' requested but no CUDA device is"
                        + " available to libtorch (install the GPU build of the pytorch artifact and a CUDA"
                        + " runtime, or use --device cpu)");
            }
            return new Device(n);
        }
        throw new IllegalArgumentException("unknown device '" + name + "': expected cpu, cuda or cuda:N");
    }
}
