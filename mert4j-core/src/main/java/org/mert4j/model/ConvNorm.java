package org.mert4j.model;

/** {@code feat_extract_norm}: where the conv front normalises its features. */
public enum ConvNorm implements ConfigName {
    /** A GroupNorm with one group per channel after layer 0 only (MERT, HuBERT base). */
    GROUP,
    /** A LayerNorm over channels after every layer. */
    LAYER;

    static ConvNorm parse(String value) {
        return ConfigName.parse("feat_extract_norm", value, ConvNorm.class);
    }

    @Override
    public String toString() {
        return configName();
    }
}
