package org.mert4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mert4j.cli.commands.Cli;
import org.mert4j.teacher.Teachers;

import picocli.CommandLine;

/** Every command's help prints cleanly: no picocli warnings, examples that copy and paste, defaults shown. */
class HelpTextTest {

    private static Cli.Result help(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        return Cli.run(args.toArray(new String[0]));
    }

    @Test
    void helpPrintsNoPicocliWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (List<String> c : Cli.commands()) {
                assertEquals(0, help(c).exitCode(), c::toString);
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertEquals("", warnings, "picocli printed warnings (a '%' to escape as '%%'?)");
    }

    /**
     * An example wrapped by the help layout breaks when pasted, and a wrapped table loses its columns: every
     * indented line of a description or footer (examples, tables) must come out whole at the default width.
     */
    @Test
    void examplesAndTablesAreNotWrapped() {
        List<String> wrapped = new ArrayList<>();
        for (List<String> c : Cli.commands()) {
            CommandLine cmd = Main.commandLine();
            for (String w : c) {
                cmd = cmd.getSubcommands().get(w);
            }
            String out = help(c).out();
            List<String> lines = new ArrayList<>(List.of(cmd.getCommandSpec().usageMessage().footer()));
            lines.addAll(List.of(cmd.getCommandSpec().usageMessage().description()));
            for (String line : lines) {
                String expected = line.replace("%%", "%");
                if (expected.startsWith("  ") && !out.contains(expected)) {
                    wrapped.add("mert " + String.join(" ", c) + ": " + expected);
                }
            }
        }
        assertEquals(List.of(), wrapped);
    }

    @Test
    void labelsHelpListsEveryTeacher() {
        String out = Cli.run("labels", "--help").out();
        for (String teacher : Teachers.all().keySet()) {
            assertTrue(out.contains(teacher), () -> teacher + " missing from mert labels --help:\n" + out);
        }
    }

    @Test
    void probeOptionsShowTheirDefaults() {
        String out = Cli.run("probe", "--help").out().replaceAll("\\s+", " ");
        for (String option : new String[] {"--layers", "--probe", "--lr", "--epochs", "--cache", "--out", "--device"}) {
            int at = out.lastIndexOf(option + "="); // the option list comes after the synopsis
            int next = out.indexOf(" --", at + option.length() + 2);
            String text = out.substring(at, next < 0 ? out.length() : next);
            assertTrue(text.contains("Default"), () -> option + " shows no default: " + text);
        }
    }
}
