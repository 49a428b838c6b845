package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example compiles as printed, and the README says how to get the artifact it needs. */
class ReadmeJavaTest {
    static final Path REPO = ReadmeCommandsTest.REPO;

    @Test
    void theJavaExampleCompilesWithItsImports(@TempDir Path out) throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        String example = null;
        while (m.find()) {
            if (m.group(1).contains("MertModel.load")) {
                example = m.group(1);
            }
        }
        assertNotNull(example, "no Java example with MertModel.load in the README");
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(example);
        assertTrue(cls.find(), "the example is a whole class, imports included:\n" + example);
        String source = example;
        JavaFileObject file = new SimpleJavaFileObject(java.net.URI.create("string:///" + cls.group(1) + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean ok = javac.getTask(messages, null, null, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", out.toString(), "-proc:none"), null, List.of(file)).call();
        assertTrue(ok, "the README's Java example does not compile:\n" + messages + "\n" + example);
    }

    @Test
    void theReadmeGivesTheCoordinatesAndHowToInstall() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        String pom = Files.readString(REPO.resolve("pom.xml"));
        Matcher v = Pattern.compile("<artifactId>mert4j-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(v.find());
        assertTrue(readme.contains("<groupId>org.mert4j</groupId>"), "groupId");
        assertTrue(readme.contains("<artifactId>mert4j-core</artifactId>"), "artifactId");
        assertTrue(readme.contains("<version>" + v.group(1) + "</version>"), "the version of the build, " + v.group(1));
        Matcher install = Pattern.compile("`(mvn [^`]*install[^`]*)`").matcher(readme);
        assertTrue(install.find(), "how to put the artifact into the local repository");
        assertEquals(-1, install.group(1).indexOf("deploy"));
    }
}
