package org.mert4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void rangesResolveAgainstTheFileLength() {
        assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(new ByteRange(900, 999), ByteRange.parse("bytes=900-", 1000));
        assertEquals(new ByteRange(990, 999), ByteRange.parse("bytes=-10", 1000));
        assertEquals(new ByteRange(0, 999), ByteRange.parse("bytes=-5000", 1000));
        assertEquals(new ByteRange(500, 999), ByteRange.parse("bytes=500-5000", 1000)); // clipped to the end
        assertEquals(100, ByteRange.parse("bytes=0-99", 1000).length());
    }

    @Test
    void unknownOrSeveralRangesMeanTheWholeFileAndOutsideIs416() {
        assertNull(ByteRange.parse(null, 10));
        assertNull(ByteRange.parse("items=0-1", 10));
        assertNull(ByteRange.parse("bytes=0-1,4-5", 10));
        assertNull(ByteRange.parse("bytes=x-y", 10));
        assertEquals(416, assertThrows(ApiException.class, () -> ByteRange.parse("bytes=10-", 10)).status());
        assertEquals(416, assertThrows(ApiException.class, () -> ByteRange.parse("bytes=5-2", 10)).status());
        assertEquals(416, assertThrows(ApiException.class, () -> ByteRange.parse("bytes=-0", 10)).status());
    }

    @Test
    void trackKeysMustStayBelowTheRoot() {
        assertTrue(AudioRoot.safeKey("rock/track-12"));
        assertTrue(AudioRoot.safeKey("a..b"));
        assertFalse(AudioRoot.safeKey("../x"));
        assertFalse(AudioRoot.safeKey("a/../../x"));
        assertFalse(AudioRoot.safeKey("/etc/passwd"));
        assertFalse(AudioRoot.safeKey("a//b"));
        assertFalse(AudioRoot.safeKey("a\\..\\b"));
        assertFalse(AudioRoot.safeKey("C:x"));
        assertFalse(AudioRoot.safeKey("a\u0000b"));
        assertFalse(AudioRoot.safeKey(""));
    }
}
