package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.mert4j.model.ConfigName;

/** {@code objective.cqt_frames}: the frames the CQT loss scores. */
public enum CqtFrames implements ConfigName {
    /** The masked frames only, as MERT. */
    MASKED("masked"),
    /** Every frame. */
    ALL("all");

    private final String configName;

    CqtFrames(String configName) {
        this.configName = configName;
    }

    @JsonCreator
    static CqtFrames parse(String value) {
        return ConfigName.parse("objective.cqt_frames", value, CqtFrames.class);
    }

    @JsonValue
    @Override
    public String configName() {
        return configName;
    }

    @Override
    public String toString() {
        return configName;
    }
}
