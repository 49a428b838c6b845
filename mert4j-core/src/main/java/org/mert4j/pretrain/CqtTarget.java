package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.mert4j.model.ConfigName;

/** {@code objective.cqt_target}: what the CQT head regresses. */
public enum CqtTarget implements ConfigName {
    /** The CQT magnitude, as MERT. */
    MAGNITUDE("magnitude"),
    /** log(|C| + 1e-4) standardised per clip: a target whose scale does not depend on how loud the audio is. */
    LOG("log");

    private final String configName;

    CqtTarget(String configName) {
        this.configName = configName;
    }

    @JsonCreator
    static CqtTarget parse(String value) {
        return ConfigName.parse("objective.cqt_target", value, CqtTarget.class);
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
