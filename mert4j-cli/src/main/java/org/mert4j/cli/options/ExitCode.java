package org.mert4j.cli.options;

/** The exit statuses of {@code mert}, so that scripts can tell a partial batch from a wrong command. */
public final class ExitCode {
    /** Everything asked for was done (outputs that already existed count as done). */
    public static final int OK = 0;
    /** The run finished but some inputs could not be processed; they are listed in failures.tsv. */
    public static final int SOME_FAILED = 1;
    /** Bad command line, model folder or configuration: nothing was processed. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
