package org.mert4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class EmbedJobOptionsTest {
    @Test
    void parsesEveryOption() {
        EmbedJobOptions o = EmbedJobOptions.parse("--model", "sparkfiles:", "--out", "o.parquet", "--manifest", "m.txt",
                "--layers", "6, 12", "--layer-columns", "--device", "GPU", "--torch-threads", "4", "--partitions", "9",
                "--retry-errors", "a", "b/*.flac");
        assertEquals("sparkfiles:", o.model());
        assertEquals(List.of("a", "b/*.flac"), o.inputs());
        assertEquals(List.of("m.txt"), o.manifests());
        assertArrayEquals(new int[] {6, 12}, o.layers());
        assertEquals(OutputLayout.LAYER_COLUMNS, o.layout());
        assertEquals("gpu", o.device());
        assertEquals(4, o.torchThreads());
        assertEquals(9, o.partitions());
        assertTrue(o.retryErrors());
        assertFalse(o.int8());
        assertTrue(EmbedJobOptions.parse("--model", "m", "--out", "o", "--int8", "x").int8());
    }

    @Test
    void aRelativeModelFolderIsMadeAbsoluteForTheExecutors() {
        assertEquals(java.nio.file.Path.of("..", "examples", "tiny-mert").toAbsolutePath().toString(),
                EmbedJob.modelForExecutors("../examples/tiny-mert"));
        assertEquals("sparkfiles:", EmbedJob.modelForExecutors("sparkfiles:"));
        assertEquals("m-a-p/MERT-v1-95M", EmbedJob.modelForExecutors("m-a-p/MERT-v1-95M")); // a Hub id stays
    }

    @Test
    void negativeLayersCountFromTheLast() {
        assertArrayEquals(new int[] {-1, 6}, EmbedJobOptions.parse("--model", "m", "--out", "o", "--layers", "-1,6", "x")
                .layers());
    }

    @Test
    void rejectsIncompleteCommandLinesWithAReason() {
        assertTrue(msg("--out", "o", "x").contains("--model"));
        assertTrue(msg("--model", "m", "x").contains("--out"));
        assertTrue(msg("--model", "m", "--out", "o").contains("no input"));
        assertTrue(msg("--model", "m", "--out", "o", "--layer-columns", "x").contains("--layers"));
        assertTrue(msg("--model", "m", "--out", "o", "--layers", "6,x", "x").contains("6,x"));
        assertTrue(msg("--model", "m", "--out", "o", "--layers", "6,6", "x").contains("distinct"));
        assertTrue(msg("--model", "m", "--out", "o", "--layers", "-1", "--layer-columns", "x").contains("from 0"));
        assertTrue(msg("--model", "m", "--out", "o", "--bogus", "x").contains("--bogus"));
        assertTrue(msg("--model", "m", "--out", "o", "--int8", "--device", "cuda", "x").contains("CPU only"));
    }

    private static String msg(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> EmbedJobOptions.parse(args)).getMessage();
    }
}
