package org.mert4j.cli.options;

import java.io.PrintWriter;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --device} and {@code --threads}, mixed into the commands that load a MERT model
 * and run it with {@code @Mixin}. A command whose {@code --model} differs (a default model, another kind of
 * model) declares its own and mixes in {@link DeviceOptions} alone.
 */
public final class ModelOptions {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR|ID",
            description = "Hugging Face model folder (config.json, preprocessor_config.json, weights), a Hub model id"
                    + " (m-a-p/MERT-v1-95M, org/name@revision; downloaded into the Hugging Face cache), or"
                    + " preset:NAME (v0, v1-95m, v1-330m, tiny) for random weights of that shape.")
    private String model;

    @Mixin
    private DeviceOptions runsOn;

    /** {@code --model} as given. */
    public String model() {
        return model;
    }

    /** What {@code --model} names; a Hub model's download reports its progress on {@code err}. */
    public ModelSource source(PrintWriter err) {
        return ModelSource.parse(model, err);
    }

    public String device() {
        return runsOn.device();
    }

    /** See {@link DeviceOptions#threads()}. */
    public int threads() {
        return runsOn.threads();
    }

    /** See {@link DeviceOptions#applyThreads()}. */
    public void applyThreads() {
        runsOn.applyThreads();
    }
}
