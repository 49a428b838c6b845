package org.mert4j.serve;

import java.nio.file.Files;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mert4j.model.MertModel;

/** Tests of a running server over the tiny example model, loaded once per test class, and the example FLAC. */
abstract class ServeModelTest {
    static MertModel mert;
    static byte[] chords;

    @BeforeAll
    static void load() throws Exception {
        mert = MertModel.load(ServeFixture.MODEL);
        chords = Files.readAllBytes(ServeFixture.CHORDS);
    }

    @AfterAll
    static void free() {
        if (mert != null) {
            mert.close();
        }
    }
}
