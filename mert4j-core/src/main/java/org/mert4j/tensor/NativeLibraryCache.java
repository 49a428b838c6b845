package org.mert4j.tensor;

import java.util.Properties;

/**
 * Where JavaCPP unpacks the native libraries (libtorch, OpenBLAS, FFmpeg): one copy of each in its cache
 * folder ({@code ~/.javacpp/cache/} unless {@code org.bytedeco.javacpp.cachedir} says otherwise), whichever
 * jar it comes from. By default JavaCPP keeps a folder per jar file name, so the command line (the presets'
 * own jars) and the Spark application jar (the same libraries shaded into it) each unpacked their own
 * 450-500 MB. The presets' library file names are all distinct, and JavaCPP unpacks a library again only
 * when the cached file's size or time stamp differs from the jar entry's (the shaded jar keeps both).
 * Call {@link #shareAcrossJars()} before the first native library is loaded.
 */
public final class NativeLibraryCache {
    /** JavaCPP's option: libraries straight in the cache folder, not in a folder named after their jar. */
    static final String NO_SUBDIR = "org.bytedeco.javacpp.cachedir.nosubdir";

    private NativeLibraryCache() {}

    /** One cache entry per library for this JVM, unless the user chose otherwise with -D. */
    public static void shareAcrossJars() {
        shareAcrossJars(System.getProperties());
    }

    static void shareAcrossJars(Properties properties) {
        if (properties.getProperty(NO_SUBDIR) == null) {
            properties.setProperty(NO_SUBDIR, "true");
        }
    }
}
