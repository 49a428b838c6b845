package org.mert4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which BLAS is named, and the warning when MKL would run its own thread pool. */
class CpuThreadsTest {
    @Test
    void warnsOnlyForMklWithoutTheGnuThreadingLayer() {
        String before = System.getProperty(CpuThreads.BLAS_LOAD_PROPERTY);
        try {
            System.clearProperty(CpuThreads.BLAS_LOAD_PROPERTY);
            assertEquals("openblas", CpuThreads.blasLibrary());
            assertNull(CpuThreads.blasWarning(Map.of()));
            // read only when the BLAS library loads; this test loads nothing and restores it at the end
            System.setProperty(CpuThreads.BLAS_LOAD_PROPERTY, "mkl_rt");
            assertEquals("mkl", CpuThreads.blasLibrary());
            assertNull(CpuThreads.blasWarning(Map.of("MKL_THREADING_LAYER", "GNU")));
            String warning = CpuThreads.blasWarning(Map.of());
            assertTrue(warning != null && warning.contains("MKL_THREADING_LAYER=GNU"), String.valueOf(warning));
            assertTrue(CpuThreads.blasWarning(Map.of("MKL_THREADING_LAYER", "INTEL")) != null);
        } finally {
            if (before == null) {
                System.clearProperty(CpuThreads.BLAS_LOAD_PROPERTY);
            } else {
                System.setProperty(CpuThreads.BLAS_LOAD_PROPERTY, before);
            }
        }
    }
}
