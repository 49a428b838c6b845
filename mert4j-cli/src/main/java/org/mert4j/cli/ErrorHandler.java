package org.mert4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.hub.HubException;
import org.mert4j.io.CheckpointException;
import org.mert4j.model.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one clear line on stderr and an exit code: 2 for anything about the command
 * line, the model folder or its configuration, 1 otherwise. Stack traces only with --verbose or
 * MERT_DEBUG=1.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options and examples.");
        }
        if (VerboseOption.stackTraces(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean usage = isUsageError(ex);
        // a Hub error already says what failed and what to do: no class name, no stack-trace hint
        boolean explained = usage || ex instanceof HubException;
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + (explained ? msg : ex.getClass().getSimpleName()
                + ": " + msg));
        if (VerboseOption.stackTraces(parsed.originalArgs().toArray(new String[0]))) {
            ex.printStackTrace(err);
        } else if (!explained) {
            err.println("(run again with --verbose or MERT_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return usage ? ExitCode.USAGE : ExitCode.SOME_FAILED;
    }

    /** Usage errors exit with 2; a Hub model that cannot be reached or arrives damaged is a failure (1), retried later. */
    static boolean isUsageError(Throwable ex) {
        if (ex instanceof HubException h) {
            return h.kind() != HubException.Kind.NETWORK && h.kind() != HubException.Kind.CORRUPT
                    && h.kind() != HubException.Kind.BAD_RESPONSE;
        }
        return ex instanceof UsageException || ex instanceof ConfigException || ex instanceof CheckpointException
                || ex instanceof IllegalArgumentException || ex instanceof ParameterException
                || ex instanceof UncheckedIOException;
    }
}
