package org.mert4j.cli.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** {@code mert --version}: the version Maven stamped into the jar ("dev" when run from classes). */
public final class Version implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/org.mert4j/mert4j-cli/pom.properties";

    public static String version() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through: a version string is not worth failing over
        }
        return "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "mert4j " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ")"};
    }
}
