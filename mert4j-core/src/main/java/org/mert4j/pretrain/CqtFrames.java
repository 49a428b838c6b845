package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.mert4j.model.ConfigName;

/** {@code objective.cqt_frames}: the frames the CQT loss scores. */
public enum CqtFrames implements ConfigName {
    /** The masked frames only, as MERT. */
    MASKED,
    /** Every frame. */
    ALL;

    @JsonCreator
    static CqtFrames parse(String value) {
        return ConfigName.parse("objective.cqt_frames", value, CqtFrames.class);
    }

    @Override
    public String toString() {
        return configName();
    }
}
