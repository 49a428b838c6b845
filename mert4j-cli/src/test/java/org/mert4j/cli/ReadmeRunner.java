package org.mert4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mert4j.cli.commands.Cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs {@code mert} commands one after another in this JVM, whose working folder is the README test's
 * sandbox, so relative paths resolve as they would for a user in a shell: one JVM start for all commands.
 * Arguments: a file of commands (a JSON array of arguments per line) and the file to write one JSON
 * result per command to ({@code exit}, {@code out}, {@code err}, {@code seconds}).
 */
public final class ReadmeRunner {
    private ReadmeRunner() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            JsonNode a = json.readTree(line);
            String[] argv = new String[a.size()];
            for (int i = 0; i < argv.length; i++) {
                argv[i] = a.get(i).asText();
            }
            long t0 = System.nanoTime();
            Cli.Result r = Cli.run(argv);
            ObjectNode n = json.createObjectNode();
            n.put("exit", r.exitCode());
            n.put("out", r.out());
            n.put("err", r.err());
            n.put("seconds", (System.nanoTime() - t0) / 1e9);
            results.add(json.writeValueAsString(n));
            Files.write(Path.of(args[1]), results, StandardCharsets.UTF_8); // what ran so far, if a command hangs
        }
        System.exit(0);
    }
}
