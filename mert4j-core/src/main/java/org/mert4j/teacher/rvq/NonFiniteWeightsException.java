package org.mert4j.teacher.rvq;

import java.util.List;

/** Training made the weights NaN or infinite (a learning rate far too high, for one): nothing of it is kept. */
public final class NonFiniteWeightsException extends IllegalStateException {
    NonFiniteWeightsException(String message) {
        super(message);
    }

    /** The first few tensor names, for a message. */
    static String names(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(4, names.size())))
                + (names.size() > 4 ? " and " + (names.size() - 4) + " more tensors" : "");
    }
}
