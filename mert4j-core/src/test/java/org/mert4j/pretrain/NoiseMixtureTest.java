package org.mert4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The in-batch noise mixture's draws follow MERT's settings; where the segments land is checked against the reference in ObjectiveFixtureTest. */
class NoiseMixtureTest {
    @Test
    void drawsFollowMertsSettings() {
        int rate = 24000;
        int clips = 4;
        int samples = 5 * rate;
        NoiseMixture mix = new NoiseMixture(0.5, 3, 0.5, 1.0, rate);
        SplittableRandom rng = new SplittableRandom(9);
        int batches = 5000;
        int augmented = 0;
        int[] perClip = new int[4];
        for (int i = 0; i < batches; i++) {
            List<NoiseMixture.Segment> segs = mix.draw(clips, samples, rng);
            int[] count = new int[clips];
            for (NoiseMixture.Segment s : segs) {
                count[s.clip()]++;
                assertTrue(s.length() >= rate / 2 && s.length() <= rate, "length " + s.length());
                assertTrue(s.at() >= 0 && s.at() + s.length() <= samples, "position " + s.at());
                assertTrue(s.from() >= 0 && s.from() + s.length() <= (clips - 1) * samples, "source " + s.from());
            }
            for (int c : count) {
                augmented += c > 0 ? 1 : 0;
                perClip[c]++;
            }
        }
        double share = augmented / (double) (batches * clips);
        System.out.printf("noise mixture: %.3f of clips augmented; 1/2/3 segments: %d/%d/%d%n", share, perClip[1],
                perClip[2], perClip[3]);
        assertEquals(0.5, share, 0.02, "share of clips augmented");
        for (int n = 1; n <= 3; n++) {
            assertEquals(1.0 / 3, perClip[n] / (double) augmented, 0.02, "share of augmented clips with " + n + " segments");
        }
    }

    @Test
    void cleanClipsStayUntouchedAndTheDifferenceIsTheSegments() {
        float[][] clean = new float[3][1000];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 1000; i++) {
                clean[c][i] = c + i / 1000f;
            }
        }
        float[][] copy = new float[3][];
        for (int c = 0; c < 3; c++) {
            copy[c] = clean[c].clone();
        }
        // clip 1 gets 300 samples starting 100 before the end of clip 0 (so 100 of clip 0, then 200 of clip 2)
        float[][] noisy = NoiseMixture.add(clean, List.of(new NoiseMixture.Segment(1, 900, 300, 50)));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(copy[c], clean[c], "clean clip " + c + " untouched");
        }
        assertArrayEquals(clean[0], noisy[0]);
        assertArrayEquals(clean[2], noisy[2]);
        assertEquals(clean[1][50] + clean[0][900], noisy[1][50], 1e-6f);
        assertEquals(clean[1][149] + clean[0][999], noisy[1][149], 1e-6f);
        assertEquals(clean[1][150] + clean[2][0], noisy[1][150], 1e-6f);
        assertEquals(clean[1][349] + clean[2][199], noisy[1][349], 1e-6f);
        assertEquals(clean[1][350], noisy[1][350], 0f);
    }

    @Test
    void clipsTooShortForTheSegmentsStayClean() {
        NoiseMixture mix = new NoiseMixture(1.0, 3, 0.5, 1.0, 24000);
        assertTrue(mix.draw(4, 12000, new SplittableRandom(1)).isEmpty(), "0.5 s clips cannot take 1 s segments");
        assertTrue(mix.draw(1, 48000, new SplittableRandom(1)).isEmpty(), "a clip alone has no other clip");
    }
}
