package org.mert4j.cli.console;

/** "1 file", "2 files": a count with its noun in the right number. */
public final class Counts {
    private Counts() {
    }

    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
