package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.io.CheckpointException;

/** Checkpoints are verified when written and before a resume; a damaged newest one is skipped, with a notice. */
class CheckpointsTest {

    @Test
    void resumeSkipsADamagedNewestCheckpointAndAnEmptyTrainerStateIsAClearError(@TempDir Path run) throws Exception {
        PretrainConfig c = TrainerTest.tiny(4, 2);
        try (Trainer t = new Trainer(c, run, TrainerTest.tones(2, 0.5, 4, 1), null, GradientSync.SINGLE, null)) {
            t.train();
        }
        Path newest = run.resolve("checkpoints/step-00000004");
        Path older = run.resolve("checkpoints/step-00000002");
        assertEquals(Optional.empty(), Checkpoints.problem(newest), "a fresh checkpoint verifies");

        byte[] model = Files.readAllBytes(newest.resolve("model.safetensors"));
        Files.write(newest.resolve("model.safetensors"), java.util.Arrays.copyOf(model, model.length / 2));
        List<String> notices = new ArrayList<>();
        try (Trainer t = new Trainer(c.with("run.max_steps=5"), run, TrainerTest.tones(2, 0.5, 4, 1), null,
                GradientSync.SINGLE, new Trainer.Listener() {
                    @Override
                    public void onNotice(String message) {
                        notices.add(message);
                    }
                })) {
            assertEquals(Optional.of(2L), t.resume());
        }
        assertEquals(1, notices.size(), notices::toString);
        assertTrue(notices.get(0).contains("step-00000004") && notices.get(0).contains("model.safetensors"),
                notices::toString);

        Files.writeString(older.resolve("trainer.json"), "");
        try (Trainer t = new Trainer(c, run, TrainerTest.tones(2, 0.5, 4, 1), null, GradientSync.SINGLE, null)) {
            CheckpointException e = assertThrows(CheckpointException.class,
                    () -> Checkpoints.load(older, t.model(), null));
            assertTrue(e.getMessage().contains("trainer.json") && e.getMessage().contains("empty"), e.getMessage());
        }
    }
}
