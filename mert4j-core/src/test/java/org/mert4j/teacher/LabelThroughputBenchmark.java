package org.mert4j.teacher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.Tensors;

/**
 * Labelling throughput of hubert-kmeans, in hours of audio per hour of compute (decoding excluded), with
 * random weights of a preset's shape. Not a test; run with
 * {@code java -cp <test classpath> org.mert4j.teacher.LabelThroughputBenchmark [preset] [layer] [k] [clips]
 * [seconds per clip] [device]} (defaults: v1-95m 6 500 12 10 cpu).
 */
public final class LabelThroughputBenchmark {
    private LabelThroughputBenchmark() {}

    public static void main(String[] args) throws IOException {
        String preset = args.length > 0 ? args[0] : "v1-95m";
        int layer = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int clips = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        String device = args.length > 5 ? args[5] : "cpu";
        Path work = Files.createTempDirectory("mert4j-label-bench");
        MertConfig config = MertConfig.preset(preset);
        try (MertModel m = MertModel.random(config, 0, "cpu")) {
            m.save(work.resolve("model"));
        }
        int rate = config.sampleRate();
        List<Manifest.Entry> rows = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            TeacherTestAudio.writeWav(work.resolve("audio/clip" + i + ".wav"), rate * seconds, rate, i);
            rows.add(new Manifest.Entry("clip" + i + ".wav", (long) rate * seconds));
        }
        Manifest manifest = new Manifest(work.resolve("audio"), rate, rows);
        System.out.printf(Locale.ROOT, "%s, layer %d, k %d, %d clips of %d s, %s, %d threads%n", preset, layer, k,
                clips, seconds, device, torch.get_num_threads());

        long t0 = System.nanoTime();
        TeacherSettings s = new TeacherSettings(work.resolve("labels"), work.resolve("model"), null, layer, k, true,
                Integer.MAX_VALUE / 2, 0, device, msg -> System.out.println("  " + msg));
        try (LabelTeacher teacher = new HubertKMeansTeacher().create(s, manifest)) {
            System.out.printf(Locale.ROOT, "fit (features of every frame + k-means): %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            List<float[]> audio = new ArrayList<>();
            for (int i = 0; i < clips; i++) {
                audio.add(TeacherAudio.load(manifest.file(i), rate));
            }
            teacher.labels(audio.get(0)); // warm-up
            long t1 = System.nanoTime();
            for (float[] a : audio) {
                teacher.labels(a);
            }
            double compute = (System.nanoTime() - t1) / 1e9;
            double audioSeconds = (double) clips * seconds;
            System.out.printf(Locale.ROOT, "hubert-kmeans labels: %.1f s of audio in %.2f s: %.3g h of audio per hour"
                    + " of compute%n", audioSeconds, compute, audioSeconds / compute);

            // the k-means assignment alone, on frames of the model's width
            int h = config.transformer().hiddenSize();
            float[] frames = new float[(int) (audioSeconds * 75) * h];
            java.util.Random r = new java.util.Random(0);
            for (int i = 0; i < frames.length; i++) {
                frames[i] = (float) r.nextGaussian();
            }
            try (KMeans km = KMeans.load(work.resolve("labels/kmeans-hubert_l" + layer + ".safetensors"), device)) {
                Tensor x = Tensors.fromFloats(frames, frames.length / h, h);
                km.predict(x);
                long t2 = System.nanoTime();
                km.predict(x);
                double p = (System.nanoTime() - t2) / 1e9;
                System.out.printf(Locale.ROOT, "k-means assignment alone (k %d, D %d): %.3f s for %.0f s of frames:"
                        + " %.3g h of audio per hour%n", k, h, p, audioSeconds, audioSeconds / p);
            }
        }
    }
}
