package org.mert4j.pretrain;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.mert4j.model.ConfigName;

/** {@code objective.head}: how the acoustic head scores the teacher's labels. */
public enum AcousticHead implements ConfigName {
    /** MERT's: cosine logits between projected frames and label embeddings, over a temperature. */
    COSINE,
    /** One linear layer from the hidden states to every label stream's logits. */
    LINEAR;

    @JsonCreator
    static AcousticHead parse(String value) {
        return ConfigName.parse("objective.head", value, AcousticHead.class);
    }

    @Override
    public String toString() {
        return configName();
    }
}
