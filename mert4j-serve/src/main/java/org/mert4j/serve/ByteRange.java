package org.mert4j.serve;

/**
 * One range of a {@code Range: bytes=...} header (RFC 9110, 14.1.2) resolved against a file's length.
 * Several ranges, or a header that is not a byte range, are answered with the whole file (which the RFC
 * allows); a range that starts beyond the end is unsatisfiable (416).
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    /**
     * @return the range, or null to send the whole file
     * @throws ApiException 416 when the range lies outside the file
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) { // the last N bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - n), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size || last < first) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ApiException unsatisfiable(String header, long size) {
        return new ApiException(416, "range " + header + " is outside the file (" + size + " bytes)");
    }
}
