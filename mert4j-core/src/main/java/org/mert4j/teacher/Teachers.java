package org.mert4j.teacher;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label teachers by name, for {@code mert labels --teacher NAME}. Other modules add theirs with
 * {@link #register} (e.g. in a static initialiser that the command line touches):
 * <pre>{@code
 * Teachers.register("my-teacher", new MyTeacherFactory()); // a TeacherFactory
 * }</pre>
 */
public final class Teachers {
    private static final Map<String, TeacherFactory> REGISTRY = Collections.synchronizedMap(new LinkedHashMap<>());

    static {
        register(HubertKMeansTeacher.NAME, new HubertKMeansTeacher());
        register(SpectralKMeansTeachers.MFCC, SpectralKMeansTeachers.mfcc());
        register(SpectralKMeansTeachers.LOGMEL_CHROMA, SpectralKMeansTeachers.logMelChroma());
        register(CodecTeachers.ENCODEC, CodecTeachers.factory(CodecTeachers.ENCODEC));
        register(CodecTeachers.RVQ, CodecTeachers.factory(CodecTeachers.RVQ));
    }

    private Teachers() {}

    /** Adds or replaces the teacher {@code name}. */
    public static void register(String name, TeacherFactory factory) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("teacher names are lower case letters, digits and '-', got '" + name + "'");
        }
        REGISTRY.put(name, factory);
    }

    public static TeacherFactory get(String name) {
        TeacherFactory f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown teacher '" + name + "': known are " + names());
        }
        return f;
    }

    /** The registered teachers with their descriptions, in registration order. */
    public static Map<String, TeacherFactory> all() {
        synchronized (REGISTRY) {
            return Map.copyOf(REGISTRY);
        }
    }

    public static String names() {
        synchronized (REGISTRY) {
            return String.join(", ", REGISTRY.keySet());
        }
    }
}
