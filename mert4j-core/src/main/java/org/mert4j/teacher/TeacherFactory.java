package org.mert4j.teacher;

/** Builds a {@link LabelTeacher} for a manifest; registered by name in {@link Teachers}. */
public interface TeacherFactory {
    /** One line for help texts: what the teacher computes and which settings it needs. */
    String description();

    /** The teacher for labelling {@code manifest}; fits k-means first when the settings ask for it. */
    LabelTeacher create(TeacherSettings settings, Manifest manifest);
}
