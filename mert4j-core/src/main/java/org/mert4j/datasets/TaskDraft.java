package org.mert4j.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * A task as an importer builds it, before it is written: its settings and one entry per clip.
 *
 * @param window  seconds per window, or 0 for the whole clip (what MARBLE extracts for that dataset)
 * @param classes the class order, or empty to let the task file leave it to the manifest
 * @param notes   comment lines for the task file: sources, split definition, deviations
 */
public record TaskDraft(String name, TaskType type, double window, String metric, List<String> classes,
        List<String> notes, List<Entry> entries, ImportReport report) {

    /** One clip: its audio file, split, and the manifest fields of its task type (label, labels, targets, beats). */
    public record Entry(Path audio, Split split, ObjectNode fields) {}

    public TaskDraft {
        classes = List.copyOf(classes);
        notes = List.copyOf(notes);
    }

    static List<Entry> newEntries() {
        return new ArrayList<>();
    }
}
