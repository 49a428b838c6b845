package org.mert4j.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned first column and right-aligned numbers. */
public final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = header;
    }

    public void add(String... row) {
        if (row.length != header.length) {
            throw new IllegalArgumentException("row has " + row.length + " cells, header " + header.length);
        }
        rows.add(row);
    }

    public void print(PrintWriter out) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, header, w);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(rule);
        for (String[] r : rows) {
            line(out, r, w);
        }
        out.flush();
    }

    private static void line(PrintWriter out, String[] cells, int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(w[i] - cells[i].length());
            b.append(i == 0 ? cells[i] + pad : pad + cells[i]);
        }
        out.println(b.toString().stripTrailing());
    }
}
