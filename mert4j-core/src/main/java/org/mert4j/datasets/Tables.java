package org.mert4j.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Delimited text tables as the datasets ship them: a header row, then rows, fields optionally in double quotes. */
final class Tables {
    private Tables() {}

    /** One row of a table: the line it starts on (1 is the first line of the file) and its fields. */
    record Row(int line, List<String> fields) {}

    /** A row of a table with a header: its line, and header name (stripped, unquoted) to field (unquoted). */
    record Record(int line, Map<String, String> values) {
        String get(String column) {
            return values.get(column);
        }
    }

    /** The rows of a table with a header, as header name (stripped, unquoted) to field (unquoted). */
    static List<Map<String, String>> read(Path file, char delimiter) throws IOException {
        return records(file, delimiter).stream().map(Record::values).toList();
    }

    /**
     * The rows of a table with a header, with their line numbers; the header must name every one of
     * {@code required} (else an error naming the file and the missing columns).
     */
    static List<Record> records(Path file, char delimiter, String... required) throws IOException {
        List<Row> rows = lines(Files.readString(file, StandardCharsets.UTF_8), delimiter);
        if (rows.isEmpty()) {
            throw new IOException(file + ": empty, expected a header row");
        }
        List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
        List<String> missing = new ArrayList<>();
        for (String c : required) {
            if (!header.contains(c)) {
                missing.add("'" + c + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(file + ": the header row lacks the column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (it has " + header + ")");
        }
        List<Record> out = new ArrayList<>();
        for (Row r : rows.subList(1, rows.size())) {
            List<String> f = r.fields();
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), i < f.size() ? f.get(i) : "");
            }
            out.add(new Record(r.line(), m));
        }
        return out;
    }

    /** Fields of every line (RFC 4180 quoting: "a ""b""" is a "b"; quoted fields may hold delimiters). */
    static List<List<String>> rows(String text, char delimiter) {
        return lines(text, delimiter).stream().map(Row::fields).toList();
    }

    /** {@link #rows}, each with the line it starts on (a quoted field may span lines). */
    static List<Row> lines(String text, char delimiter) {
        List<Row> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r'))) {
                line++; // a line break ("\r\n" counts once, at its '\r')
            }
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                any = true;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(new Row(start, row));
                }
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
                start = line;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(new Row(start, row));
        }
        return rows;
    }
}
