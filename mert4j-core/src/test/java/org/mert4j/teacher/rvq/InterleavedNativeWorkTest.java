package org.mert4j.teacher.rvq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.mert4j.audio.AudioDecoder;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.Tensors;

/**
 * Decoding (FFmpeg), embedding (the CPU inference plan) and RVQ-VAE training in one JVM, one step of each in
 * turn, give bit for bit what each gives when it runs alone: none of them reads memory another left behind.
 */
class InterleavedNativeWorkTest {
    static final Path AUDIO = Path.of("..", "examples", "audio");
    static final Path TINY = Path.of("..", "examples", "tiny-mert");
    static final int ROUNDS = 4;

    /** What each kind of work produced, in the order it ran. */
    record Results(List<float[]> decoded, List<float[]> embedded, List<float[]> losses, TreeMap<String, float[]> weights) {
        Results() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new TreeMap<>());
        }
    }

    /** One kind of work, split into rounds so that the others can run in between. */
    static final class Work implements AutoCloseable {
        final Results results = new Results();
        final MertModel model = MertModel.load(TINY);
        final RvqVae rvq = new RvqVae(RvqVaeTest.SMALL, "cpu", 13);
        final RvqVaeTrainer trainer = new RvqVaeTrainer(rvq, new RvqTrainOptions(ROUNDS, 2, 3e-3, 1e-2, 13, 6400, true, 0.05));
        final List<float[]> clips = RvqVaeTest.tones(3, 13);
        final Random crops = new Random(13);

        void decode(int round) {
            String name = round % 2 == 0 ? "chords-24k.flac" : "arpeggio-44k-stereo.mp3";
            results.decoded.add(AudioDecoder.decode(AUDIO.resolve(name)).mono());
        }

        void embed(int round) {
            String name = round % 2 == 0 ? "arpeggio-44k-stereo.mp3" : "chords-24k.flac";
            results.embedded.add(model.embed(AUDIO.resolve(name)).data());
        }

        void train() {
            RvqStepStats s = trainer.step(RvqVaeTrainer.randomCrops(clips, 2, 6400, crops));
            results.losses.add(new float[] {(float) s.reconstruction()});
        }

        Results finish() {
            rvq.trainable().forEach((name, t) -> results.weights.put(name, Tensors.toFloats(t)));
            return results;
        }

        @Override
        public void close() {
            model.close();
            rvq.close();
        }
    }

    @Test
    void interleavedWorkEqualsEachAlone() {
        Results alone;
        try (Work w = new Work()) {
            for (int i = 0; i < ROUNDS; i++) {
                w.decode(i);
            }
            for (int i = 0; i < ROUNDS; i++) {
                w.embed(i);
            }
            for (int i = 0; i < ROUNDS; i++) {
                w.train();
            }
            alone = w.finish();
        }
        Results interleaved;
        try (Work w = new Work()) {
            for (int i = 0; i < ROUNDS; i++) {
                w.train();
                RvqVaeTest.fillFreedMemoryWithNaN();
                w.decode(i);
                w.embed(i);
            }
            interleaved = w.finish();
        }
        for (int i = 0; i < ROUNDS; i++) {
            assertArrayEquals(alone.decoded.get(i), interleaved.decoded.get(i), "decoded audio, round " + i);
            assertArrayEquals(alone.embedded.get(i), interleaved.embedded.get(i), "embedding, round " + i);
            assertArrayEquals(alone.losses.get(i), interleaved.losses.get(i), "RVQ-VAE loss, step " + (i + 1));
        }
        assertEquals(alone.weights.keySet(), interleaved.weights.keySet());
        alone.weights.forEach((name, w) -> assertArrayEquals(w, interleaved.weights.get(name), name));
    }
}
