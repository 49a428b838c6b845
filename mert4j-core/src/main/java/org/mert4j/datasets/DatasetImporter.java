package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one dataset, laid out as its publisher ships it, into a {@link TaskDraft} with MARBLE's split. */
public interface DatasetImporter {
    /** The name {@code mert tasks import} knows it by. */
    String name();

    /** One line: the dataset, the task, the split and where they come from. */
    String summary();

    /** Reads the dataset under {@code dir}; what is missing or extra goes into the draft's report. */
    TaskDraft read(Path dir) throws IOException;
}
