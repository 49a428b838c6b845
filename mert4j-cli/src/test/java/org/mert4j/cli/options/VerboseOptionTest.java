package org.mert4j.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mert4j.cli.Main;
import org.mert4j.cli.commands.Cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code -v, --verbose} comes from one mixin, the same in every command that has it. */
class VerboseOptionTest {

    @Test
    void theCommandsShareOneVerboseOption() {
        List<String> with = new ArrayList<>();
        for (List<String> c : Cli.commands()) {
            CommandLine cmd = Main.commandLine();
            for (String w : c) {
                cmd = cmd.getSubcommands().get(w);
            }
            OptionSpec v = cmd.getCommandSpec().findOption("--verbose");
            if (v != null) {
                with.add(String.join(" ", c));
                assertEquals(List.of("-v", "--verbose"), List.of(v.names()), c::toString);
                assertEquals("Print stack traces of errors (also: MERT_DEBUG=1).", v.description()[0]);
                assertTrue(cmd.getCommandSpec().mixins().values().stream()
                        .anyMatch(m -> m.userObject() instanceof VerboseOption), c::toString);
            }
        }
        assertTrue(with.containsAll(List.of("embed", "info", "features", "manifest", "labels", "teacher train-rvq",
                "teacher encode", "pretrain", "export", "plot", "index build", "index query")), with::toString);
    }

    @Test
    void theWordsOfACommandLineAskForStackTraces() {
        assertTrue(VerboseOption.stackTraces(new String[] {"embed", "-v", "x.wav"}));
        assertTrue(VerboseOption.stackTraces(new String[] {"embed", "--verbose"}));
        assertEquals(VerboseOption.debugFromEnvironment(), VerboseOption.stackTraces(new String[] {"embed", "x.wav"}));
    }
}
