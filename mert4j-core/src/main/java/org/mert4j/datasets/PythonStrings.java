package org.mert4j.datasets;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The few Python string operations the published split recipes hash artist names with, done as Python does them,
 * so that the splits come out the same: {@code str.strip()} (Python's whitespace, which includes U+00A0 and
 * U+001C..U+001F), and {@code int(sha1(s.encode("utf-8")).hexdigest(), 16)}.
 */
final class PythonStrings {
    private PythonStrings() {}

    static boolean isSpace(int c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0
                || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f
                || c == 0x205f || c == 0x3000;
    }

    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** {@code int(hashlib.sha1(s.encode("utf-8")).hexdigest(), 16)}. */
    static BigInteger sha1(String s) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ratios[int(sha1(s), 16) % len(ratios)]} for ratios of {@code first} times one name, then the other. */
    static boolean inFirst(String s, int first, int total) {
        return sha1(s).mod(BigInteger.valueOf(total)).intValue() < first;
    }
}
