package org.mert4j.cli.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.DoubleConsumer;

import org.mert4j.audio.AudioDecodeException;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.console.Summary;
import org.mert4j.cli.options.ExitCode;

/**
 * The loop of a command that works through many audio files: a progress line, each file's failure
 * reported on stderr, listed in {@code failures.tsv} ({@link FailureLog}) and never stopping the others,
 * the counts of the run ({@link Summary}) and its exit status.
 */
public final class FileJobRunner {

    /**
     * One command's work on each file, in two steps: what {@link #work} throws is that file's failure;
     * what {@link #keep} throws stops the run (an output that cannot be kept is no single file's fault).
     *
     * @param <R> what the work on one file gives
     */
    public interface Job<R> {
        /**
         * The work on one file.
         *
         * @param partway takes how many seconds into a long file the work is, for the progress line
         */
        R work(int index, InputFile file, DoubleConsumer partway) throws IOException;

        /** Keeps a file's result; returns the seconds of audio the file held (0: none to count). */
        double keep(int index, InputFile file, R result) throws IOException;

        /** Records a file's failure where the command keeps more than failures.tsv (an error line, a row). */
        default void failed(int index, InputFile file, String reason) throws IOException {
        }

        /** The file in the progress line. */
        default String progressName(int index, InputFile file) {
            return file.file().getFileName().toString();
        }

        /** The file in its FAILED line. */
        default String failureName(int index, InputFile file) {
            return file.display();
        }
    }

    private final String command;
    private final PrintWriter err;
    private final boolean stackTraces;
    private final FailureLog failures;
    private final Summary summary = new Summary();
    private volatile ProgressBar progress; // warnings may come from a decoding thread

    /**
     * @param command     what starts each line, e.g. {@code mert embed}
     * @param failures    where failed files are listed, or null where the command records them itself
     */
    public FileJobRunner(String command, PrintWriter err, boolean stackTraces, FailureLog failures) {
        this.command = command;
        this.err = err;
        this.stackTraces = stackTraces;
        this.failures = failures;
    }

    public Summary summary() {
        return summary;
    }

    /** A file that failed before any work on it (a dangling link, a FIFO, a missing file). */
    public void failed(String path, String reason) throws IOException {
        report(path, path, reason, null);
        summary.failed();
    }

    /** A warning about a file that is still processed (e.g. shorter than its header declares). */
    public void warning(InputFile file, String message) {
        ProgressBar p = progress;
        if (p != null) {
            p.clear();
        }
        err.println(command + ": warning: " + file.display() + ": " + message);
        err.flush();
    }

    /** Works through {@code files} in order, with a progress line. */
    public <R> void run(List<InputFile> files, Job<R> job) throws IOException {
        ProgressBar bar = ProgressBar.forLongRun(err, files.size(), command);
        progress = bar;
        for (int i = 0; i < files.size(); i++) {
            InputFile f = files.get(i);
            int done = i;
            String name = job.progressName(i, f);
            bar.update(i, summary.audioSeconds(), name, i == 0);
            R result;
            try {
                // long files: the line shows how far into the current file the work is
                result = job.work(i, f, seconds -> bar.update(done, summary.audioSeconds() + seconds,
                        name + " at " + Summary.clock(seconds), false));
            } catch (RuntimeException | IOException | OutOfMemoryError ex) {
                String reason = reason(f, ex);
                bar.clear();
                report(job.failureName(i, f), f.display(), reason, ex);
                job.failed(i, f, reason);
                summary.failed();
                continue;
            }
            summary.ok(job.keep(i, f, result));
        }
        bar.update(files.size(), summary.audioSeconds(), null, true);
        bar.clear();
    }

    /**
     * The summary line and, when some files failed, where they are listed. Returns the exit status:
     * {@link ExitCode#SOME_FAILED} when some failed, else {@link ExitCode#OK}.
     */
    public int finish() {
        err.println(command + ": " + summary.line());
        if (summary.failedCount() > 0 && failures != null) {
            err.println(command + ": failed inputs are listed in " + failures.file());
        }
        return exitCode();
    }

    /** {@link ExitCode#SOME_FAILED} when some files failed in this run, else {@link ExitCode#OK}. */
    public int exitCode() {
        return summary.failedCount() > 0 ? ExitCode.SOME_FAILED : ExitCode.OK;
    }

    /** The FAILED line on stderr (naming the file as {@code shown}), then the line in failures.tsv. */
    private void report(String shown, String path, String reason, Throwable cause) throws IOException {
        err.println(command + ": FAILED " + FailureLog.oneLine(shown) + ": " + reason);
        if (cause != null && stackTraces) {
            cause.printStackTrace(err);
        }
        err.flush();
        if (failures != null) {
            failures.add(path, reason);
        }
    }

    /** Why a file failed, without repeating its path (decoder messages start with it). */
    static String reason(InputFile f, Throwable ex) {
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (give Java more with JAVA_OPTS=-Xmx..., or use a shorter --window / --pool mean)";
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof AudioDecodeException a && a.file() != null && msg.startsWith(a.file() + ": ")) {
            msg = msg.substring(a.file().toString().length() + 2);
        } else if (msg.startsWith(f.file() + ": ")) {
            msg = msg.substring(f.file().toString().length() + 2);
        }
        return FailureLog.oneLine(msg);
    }
}
