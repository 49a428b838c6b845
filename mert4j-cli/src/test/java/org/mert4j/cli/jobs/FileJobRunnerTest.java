package org.mert4j.cli.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

import org.mert4j.cli.options.ExitCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJobRunnerTest {
    @TempDir
    Path tmp;

    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text);

    private static List<InputFile> files(String... names) {
        List<InputFile> out = new ArrayList<>();
        for (String n : names) {
            out.add(new InputFile(Path.of("/music", n), Path.of(n)));
        }
        return out;
    }

    /** Each file's work gives its length in seconds: the digit in its name; "bad" files fail. */
    private static class Lengths implements FileJobRunner.Job<Double> {
        final List<String> kept = new ArrayList<>();
        final List<String> failed = new ArrayList<>();

        @Override
        public Double work(int index, InputFile file, DoubleConsumer partway) {
            String name = file.relative().toString();
            if (name.startsWith("bad")) {
                throw new IllegalStateException(file.file() + ": cannot be decoded");
            }
            return (double) (name.charAt(0) - '0');
        }

        @Override
        public double keep(int index, InputFile file, Double seconds) {
            kept.add(file.relative().toString());
            return seconds;
        }

        @Override
        public void failed(int index, InputFile file, String reason) {
            failed.add(index + " " + reason);
        }
    }

    @Test
    void aFailedFileIsReportedListedAndTheOthersGoOn() throws IOException {
        Lengths job = new Lengths();
        int status;
        try (FailureLog failures = new FailureLog(tmp.resolve(FailureLog.FILE_NAME), p -> true)) {
            FileJobRunner runner = new FileJobRunner("mert test", err, false, failures);
            runner.failed("/music/dangling.wav", "dangling link");
            runner.run(files("1.wav", "bad.wav", "2.wav"), job);
            status = runner.finish();
            assertEquals(3.0, runner.summary().audioSeconds());
        }
        assertEquals(ExitCode.SOME_FAILED, status);
        assertEquals(List.of("1.wav", "2.wav"), job.kept);
        assertEquals(List.of("1 cannot be decoded"), job.failed, "the reason without the path the message starts with");
        String out = text.toString();
        assertTrue(out.contains("mert test: FAILED /music/dangling.wav: dangling link\n"), out);
        assertTrue(out.contains("mert test: FAILED /music/bad.wav: cannot be decoded\n"), out);
        assertTrue(out.contains("mert test: 2 ok, 2 failed, 0 skipped"), out);
        assertTrue(out.contains("failed inputs are listed in " + tmp.resolve(FailureLog.FILE_NAME)), out);
        List<FailureLog.Entry> listed = FailureLog.read(tmp.resolve(FailureLog.FILE_NAME));
        assertEquals(List.of(new FailureLog.Entry("/music/dangling.wav", "dangling link"),
                new FailureLog.Entry("/music/bad.wav", "cannot be decoded")), listed);
    }

    @Test
    void allDoneIsExitStatusZero() throws IOException {
        FileJobRunner runner = new FileJobRunner("mert test", err, false, null);
        runner.run(files("1.wav", "3.wav"), new Lengths());
        assertEquals(ExitCode.OK, runner.finish());
        assertTrue(text.toString().contains("mert test: 2 ok, 0 failed, 0 skipped (output exists); 4.0 s of audio"),
                text.toString());
    }

    @Test
    void anOutputThatCannotBeKeptStopsTheRun() {
        FileJobRunner runner = new FileJobRunner("mert test", err, false, null);
        Lengths job = new Lengths() {
            @Override
            public double keep(int index, InputFile file, Double seconds) {
                throw new IllegalStateException("disk full");
            }
        };
        assertThrows(IllegalStateException.class, () -> runner.run(files("1.wav", "2.wav"), job));
        assertEquals(0, runner.summary().failedCount(), "not counted as the file's failure");
    }

    @Test
    void anOutOfMemoryFileSaysWhatToDo() {
        InputFile f = files("long.wav").get(0);
        assertTrue(FileJobRunner.reason(f, new OutOfMemoryError()).contains("JAVA_OPTS=-Xmx"));
        assertEquals("two words", FileJobRunner.reason(f, new RuntimeException("/music/long.wav: two\nwords")));
    }
}
