package org.mert4j.cli.options;

import org.bytedeco.pytorch.global.torch;

import picocli.CommandLine.Option;

/**
 * {@code --device} and {@code --threads}, mixed into the commands that run a model with {@code @Mixin}:
 * where it runs, and how many libtorch threads it may use. A command whose options mean something else
 * (another default, another kind of thread) declares its own.
 */
public final class DeviceOptions {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda",
            description = "Where the model runs: cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
    private String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "libtorch intra-op threads. Default: the number of processors.")
    private Integer threads;

    /** {@code cpu}, {@code cuda} or {@code cuda:N}, as given. */
    public String device() {
        return device;
    }

    /**
     * The libtorch threads to use: {@code --threads}, else one per processor.
     *
     * @throws UsageException when {@code --threads} is below 1
     */
    public int threads() {
        if (threads != null && threads < 1) {
            throw new UsageException("--threads " + threads + ": must be at least 1");
        }
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Sets libtorch's intra-op threads to {@link #threads()}. */
    public void applyThreads() {
        torch.set_num_threads(threads());
    }
}
