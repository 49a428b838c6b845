package org.mert4j.cli;

/** "1 file", "2 files": a count with its noun in the right number. */
final class Counts {
    private Counts() {
    }

    static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
