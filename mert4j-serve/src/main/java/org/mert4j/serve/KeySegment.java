package org.mert4j.serve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A track key as it comes in a path segment: percent-decoded here ({@code %2F} is a slash in the key). */
final class KeySegment {
    private KeySegment() {
    }

    /** @throws ApiException 404 for a malformed escape */
    static String decode(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); ) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.reset();
                while (i < raw.length() && raw.charAt(i) == '%') {
                    if (i + 2 >= raw.length()) {
                        throw new ApiException(404, "malformed track key " + raw);
                    }
                    int hi = Character.digit(raw.charAt(i + 1), 16);
                    int lo = Character.digit(raw.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        throw new ApiException(404, "malformed track key " + raw);
                    }
                    bytes.write(hi * 16 + lo);
                    i += 3;
                }
                b.append(bytes.toString(StandardCharsets.UTF_8));
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
