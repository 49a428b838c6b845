package org.mert4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every package's package-info says which other mert4j packages it may use ("May use: {@code io},
 * {@code tensor}. Never {@code model}."); this reads those rules in every module and fails on any source
 * file that names a mert4j package its own package does not allow, in an import or written out in full.
 */
class PackageRulesTest {
    static final Path ROOT = Path.of("..");
    private static final Pattern USE = Pattern.compile("\\b(org\\.mert4j\\.[a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern CODE = Pattern.compile("\\{@code ([a-z][a-z0-9.]*)}");
    /** Where a rule's list of what is allowed ends: "Never ...", "Nothing else ...", "not the model". */
    private static final Pattern LIST_END = Pattern.compile("\\bNever\\b|\\bNothing\\b|\\bnot the\\b|;\\s*not\\b");

    record Rule(String pkg, Path dir, Set<String> allowed) {}

    static List<Rule> rules() throws IOException {
        Set<String> corePackages = packagesUnder(ROOT.resolve("mert4j-core/src/main/java"));
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> s = Files.walk(ROOT, 12)) {
            for (Path info : s.filter(p -> p.getFileName().toString().equals("package-info.java"))
                    .filter(p -> p.toString().contains("/src/") && !p.toString().contains("/target/")).sorted().toList()) {
                String text = Files.readString(info);
                Matcher pkg = Pattern.compile("(?m)^package (org\\.mert4j(?:\\.[a-z0-9]+)*);").matcher(text);
                assertTrue(pkg.find(), info + ": no package line");
                int at = text.indexOf("May use:");
                assertTrue(at >= 0, info + ": says nothing of what the package may use (\"May use: ...\")");
                String rule = text.substring(at + "May use:".length(), text.indexOf("*/", at));
                Matcher end = LIST_END.matcher(rule);
                String allowedPart = end.find() ? rule.substring(0, end.start()) : rule;
                Set<String> allowed = new TreeSet<>();
                Matcher code = CODE.matcher(allowedPart);
                while (code.find()) {
                    allowed.add("org.mert4j." + code.group(1));
                }
                if (allowedPart.contains("any package of mert4j-core")) {
                    allowed.addAll(corePackages);
                }
                if (allowedPart.contains("mert4j-index")) {
                    allowed.add("org.mert4j.index");
                }
                rules.add(new Rule(pkg.group(1), info.getParent(), allowed));
            }
        }
        return rules;
    }

    @Test
    void everyPackageUsesOnlyWhatItsPackageInfoAllows() throws IOException {
        List<Rule> rules = rules();
        assertTrue(rules.size() >= 20, "package-info files found: " + rules.size());
        List<String> violations = new ArrayList<>();
        for (Rule r : rules) {
            try (Stream<Path> files = Files.list(r.dir())) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    Matcher m = USE.matcher(stripComments(Files.readString(f)));
                    Set<String> used = new TreeSet<>();
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                    for (String u : used) {
                        if (!u.equals(r.pkg()) && !r.allowed().contains(u)) {
                            violations.add(ROOT.relativize(f) + " uses " + u + ", which " + r.pkg()
                                    + "'s package-info does not allow (" + r.allowed() + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations, String.join("\n", violations));
    }

    @Test
    void theRuleReaderSeesAViolation() throws IOException {
        Rule nn = rules().stream().filter(r -> r.pkg().equals("org.mert4j.nn")).findFirst().orElseThrow();
        assertEquals(Set.of(), nn.allowed(), "nn may use no other mert4j package");
        Rule model = rules().stream().filter(r -> r.pkg().equals("org.mert4j.model")).findFirst().orElseThrow();
        assertTrue(model.allowed().contains("org.mert4j.tensor") && !model.allowed().contains("org.mert4j.pretrain"),
                model.toString());
        Matcher m = USE.matcher(stripComments("import org.mert4j.pretrain.Trainer; // org.mert4j.probe.Task"));
        assertTrue(m.find() && m.group(1).equals("org.mert4j.pretrain"));
        assertTrue(!m.find(), "a comment is not a use");
    }

    private static Set<String> packagesUnder(Path src) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(src)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p ->
                    out.add(src.relativize(p.getParent()).toString().replace('/', '.')));
        }
        return out;
    }

    /** Comments and strings may name any package ("see {@link org.mert4j.audio.DecodedLength}"): only code counts. */
    static String stripComments(String java) {
        return java.replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"").replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("(?m)//.*$", " ");
    }
}
