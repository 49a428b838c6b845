package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.mert4j.model.ConfigName;

/** {@code optim.precision}: the arithmetic of the forward pass ({@link Precision}). */
public enum PrecisionMode implements ConfigName {
    /** Float32 throughout. */
    FP32,
    /** Autocast to bfloat16; weights and optimizer state stay float32. */
    BF16,
    /** Autocast to float16 with a dynamic loss scale (CUDA only). */
    FP16;

    @JsonCreator
    static PrecisionMode parse(String value) {
        return ConfigName.parse("optim.precision", value, PrecisionMode.class);
    }

    @Override
    public String toString() {
        return configName();
    }
}
