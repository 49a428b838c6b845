package org.mert4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The command line and the Spark jar share JavaCPP's unpacked libraries unless the user decides otherwise. */
class NativeLibraryCacheTest {

    @Test
    void librariesGoStraightIntoTheCacheFolder() {
        Properties p = new Properties();
        NativeLibraryCache.shareAcrossJars(p);
        assertEquals("true", p.getProperty("org.bytedeco.javacpp.cachedir.nosubdir"));
    }

    @Test
    void theUsersOwnSettingStays() {
        Properties p = new Properties();
        p.setProperty("org.bytedeco.javacpp.cachedir.nosubdir", "false");
        NativeLibraryCache.shareAcrossJars(p);
        assertEquals("false", p.getProperty("org.bytedeco.javacpp.cachedir.nosubdir"));
    }
}
