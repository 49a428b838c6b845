package org.mert4j.teacher.encodec;

import java.util.Locale;
import java.util.Random;

/**
 * Encoding throughput of a full-size EnCodec 24 kHz model (facebook/encodec_24khz shape, random weights):
 * hours of audio encoded per hour of compute. Usage: {@code EncodecBenchmark [device] [seconds...]}.
 */
public final class EncodecBenchmark {
    private EncodecBenchmark() {}

    public static void main(String[] args) {
        String device = args.length > 0 ? args[0] : "cpu";
        double[] lengths = args.length > 1 ? new double[args.length - 1] : new double[] {5, 30};
        for (int i = 1; i < args.length; i++) {
            lengths[i - 1] = Double.parseDouble(args[i]);
        }
        try (EncodecModel m = EncodecModel.random(EncodecConfig.encodec24khz(), 0, device)) {
            Random r = new Random(1);
            for (double seconds : lengths) {
                float[] x = new float[(int) (seconds * 24000)];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (0.1 * r.nextGaussian());
                }
                m.codes(x); // warm-up
                int runs = 3;
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    m.codes(x);
                }
                double secs = (System.nanoTime() - t0) / 1e9 / runs;
                System.out.printf(Locale.ROOT, "%s, %.0f s clip: %.3f s per clip, %.1f x real time (hours of audio per hour)%n",
                        device, seconds, secs, seconds / secs);
            }
        }
    }
}
