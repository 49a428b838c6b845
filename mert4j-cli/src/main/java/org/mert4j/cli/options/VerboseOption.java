package org.mert4j.cli.options;

import picocli.CommandLine.Option;

/**
 * {@code -v, --verbose}, mixed into the commands with {@code @Mixin}: stack traces of errors on stderr, as
 * {@code MERT_DEBUG=1} in the environment does. {@code mert}'s error handler reads the words of the command line
 * itself, since it also reports errors met before the option is bound.
 */
public final class VerboseOption {

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors (also: MERT_DEBUG=1).")
    private boolean verbose;

    /** Whether errors come with their stack trace: {@code --verbose} given or {@code MERT_DEBUG=1}. */
    public boolean stackTraces() {
        return verbose || debugFromEnvironment();
    }

    /** Whether the words of a command line ask for stack traces: {@code -v}/{@code --verbose} or {@code MERT_DEBUG=1}. */
    public static boolean stackTraces(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v")) {
                return true;
            }
        }
        return debugFromEnvironment();
    }

    /** {@code MERT_DEBUG} set, and neither empty nor 0. */
    static boolean debugFromEnvironment() {
        String v = System.getenv("MERT_DEBUG");
        return v != null && !v.isEmpty() && !v.equals("0");
    }
}
