package org.mert4j.teacher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.Tensors;

/**
 * Fits the k-means of a teacher on a random sample of frames of a manifest: files in a seeded random
 * order, from each file up to ceil(sampleFrames / rows) random frames (so that long files do not dominate),
 * until {@code sampleFrames} frames are collected or the files run out. Files that fail to decode are
 * skipped with a message.
 */
public final class KMeansTeacherFit {
    private KMeansTeacherFit() {}

    public static List<KMeans> fit(Manifest manifest, List<TeacherFeatures> features, int[] ks, int sampleFrames,
                                   long seed, String device, Consumer<String> log) {
        if (ks.length != features.size()) {
            throw new IllegalArgumentException(features.size() + " feature spaces but " + ks.length + " values of k");
        }
        if (sampleFrames < 1 || manifest.size() == 0) {
            throw new IllegalArgumentException("k-means fit needs frames: " + manifest.size() + " manifest rows, "
                    + sampleFrames + " sample frames asked");
        }
        Random rnd = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < manifest.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, rnd);
        int perFile = (int) Math.max(1, (sampleFrames + (long) manifest.size() - 1) / manifest.size());
        int nf = features.size();
        FloatList[] collected = new FloatList[nf];
        int[] dims = new int[nf];
        for (int i = 0; i < nf; i++) {
            collected[i] = new FloatList();
        }
        int frames = 0;
        int files = 0;
        long lastLog = System.nanoTime();
        for (int row : order) {
            if (frames >= sampleFrames) {
                break;
            }
            float[] mono;
            try {
                mono = TeacherAudio.load(manifest.file(row), manifest.sampleRate());
            } catch (RuntimeException e) {
                log.accept("fit: skipping " + manifest.get(row).path() + ": " + e.getMessage());
                continue;
            }
            int take = Math.min(perFile, sampleFrames - frames);
            int got = Integer.MAX_VALUE;
            for (int i = 0; i < nf && take > 0; i++) {
                TeacherFeatures f = features.get(i);
                try (PointerScope scope = new PointerScope()) {
                    Tensor x = f.features(TeacherAudio.at(mono, manifest.sampleRate(), f.sampleRate()));
                    int t = (int) x.size(0);
                    dims[i] = (int) x.size(1);
                    // the same frame positions (in seconds) in every feature space, so product labels see
                    // matching pairs; drawn for the first space, mapped by nearest frame for the others
                    int n = Math.min(take, t);
                    float[] all = Tensors.toFloats(x);
                    int[] pick = i == 0 ? sample(rnd, t, n) : null;
                    if (i == 0) {
                        got = n;
                        collected[0].positions = pick;
                    } else {
                        pick = new int[got];
                        double ratio = f.frameRate() / features.get(0).frameRate();
                        for (int j = 0; j < got; j++) {
                            pick[j] = (int) Math.max(0, Math.min(t - 1, Math.round(collected[0].positions[j] * ratio)));
                        }
                    }
                    for (int p : pick) {
                        collected[i].add(all, p * dims[i], dims[i]);
                    }
                }
            }
            if (got != Integer.MAX_VALUE) {
                frames += got;
            }
            files++;
            if (System.nanoTime() - lastLog > 10_000_000_000L) {
                lastLog = System.nanoTime();
                log.accept(String.format("fit: %d frames from %d files", frames, files));
            }
        }
        if (frames < ks[0]) {
            throw new IllegalArgumentException("k-means fit: only " + frames + " frames from " + files
                    + " files for k=" + ks[0]);
        }
        log.accept(String.format("fit: %d frames from %d files; fitting k-means (k %s)", frames, files,
                java.util.Arrays.toString(ks)));
        List<KMeans> out = new ArrayList<>();
        for (int i = 0; i < nf; i++) {
            float[] data = collected[i].toArray();
            long n = data.length / dims[i];
            Tensor x = Tensors.fromFloats(data, n, dims[i]).to(Devices.parse(device),
                    org.bytedeco.pytorch.global.torch.ScalarType.Float);
            KMeans km = KMeans.fit(x, KMeansOptions.defaults(ks[i], seed));
            log.accept(String.format("fit: %s k-means k=%d on %d x %d, inertia per frame %.4g", features.get(i).name(),
                    ks[i], n, dims[i], km.inertia(x) / n));
            x.close();
            out.add(km);
        }
        return out;
    }

    /** {@code count} distinct frame indices of [0, bound), in increasing order. */
    private static int[] sample(Random rnd, int bound, int count) {
        int[] out = KMeans.distinctRandomInts(rnd, bound, count);
        java.util.Arrays.sort(out);
        return out;
    }

    /** A growable float array. */
    private static final class FloatList {
        float[] data = new float[1024];
        int size;
        int[] positions;

        void add(float[] src, int from, int len) {
            if (size + len > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + len));
            }
            System.arraycopy(src, from, data, size, len);
            size += len;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
