package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.mert4j.model.ConfigName;

/** {@code objective.cqt_target}: what the CQT head regresses. */
public enum CqtTarget implements ConfigName {
    /** The CQT magnitude, as MERT. */
    MAGNITUDE,
    /** log(|C| + 1e-4) standardised per clip: a target whose scale does not depend on how loud the audio is. */
    LOG;

    @JsonCreator
    static CqtTarget parse(String value) {
        return ConfigName.parse("objective.cqt_target", value, CqtTarget.class);
    }

    @Override
    public String toString() {
        return configName();
    }
}
