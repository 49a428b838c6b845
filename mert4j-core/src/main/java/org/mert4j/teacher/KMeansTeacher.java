package org.mert4j.teacher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A teacher that clusters frame features with k-means (HuBERT's recipe). With several feature spaces the
 * labels are combined into one product label, mixed-radix in the given order: for log-mel (k 300) then
 * chroma (k 200), label = mel * 200 + chroma, 60,000 classes.
 *
 * <p>Features at another frame rate are aligned to the encoder by nearest frame: encoder frame t takes
 * feature frame round(t * featureRate / encoderRate), clamped to the clip's feature frames (at 100 Hz MFCC
 * and a 75 Hz encoder: t = 3 takes MFCC frame 4). The clip's encoder frame count is
 * {@link LabelSetInfo#encoderFrames} of its length.
 */
public final class KMeansTeacher implements LabelTeacher {
    private final String name;
    private final int sampleRate;
    private final double frameRate;
    private final List<TeacherFeatures> features;
    private final List<KMeans> kmeans;
    private final LabelStream stream;
    private final Map<String, String> params;
    private final AutoCloseable owned;

    /**
     * @param owned closed with the teacher (a model the features read), or null
     */
    public KMeansTeacher(String name, int sampleRate, double frameRate, List<TeacherFeatures> features,
                         List<KMeans> kmeans, String streamName, Map<String, String> params, AutoCloseable owned) {
        if (features.isEmpty() || features.size() != kmeans.size()) {
            throw new IllegalArgumentException("need one k-means per feature space, got " + features.size()
                    + " feature spaces and " + kmeans.size() + " k-means");
        }
        long classes = 1;
        for (KMeans km : kmeans) {
            classes *= km.k();
        }
        if (classes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("product label of " + classes + " classes does not fit an int");
        }
        this.name = name;
        this.sampleRate = sampleRate;
        this.frameRate = frameRate;
        this.features = List.copyOf(features);
        this.kmeans = List.copyOf(kmeans);
        this.stream = new LabelStream(streamName, (int) classes);
        this.params = Map.copyOf(params);
        this.owned = owned;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public List<LabelStream> streams() {
        return List.of(stream);
    }

    @Override
    public Map<String, String> params() {
        return params;
    }

    @Override
    public int[][] labels(float[] mono) {
        int frames = (int) LabelSetInfo.encoderFrames(mono.length);
        int[] out = new int[frames];
        for (int i = 0; i < features.size(); i++) {
            TeacherFeatures f = features.get(i);
            KMeans km = kmeans.get(i);
            int[] own;
            try (PointerScope scope = new PointerScope()) {
                Tensor x = f.features(TeacherAudio.at(mono, sampleRate, f.sampleRate()));
                own = x.size(0) == 0 ? new int[0] : km.predict(x);
            }
            if (own.length == 0 && frames > 0) {
                throw new IllegalArgumentException(mono.length + " samples give no " + f.name() + " frames");
            }
            int[] aligned = align(own, frames, f.frameRate(), frameRate);
            for (int t = 0; t < frames; t++) {
                out[t] = out[t] * km.k() + aligned[t];
            }
        }
        return new int[][] {out};
    }

    /** Nearest-frame alignment: frame t of the result is {@code labels[round(t * from / to)]}, clamped. */
    static int[] align(int[] labels, int frames, double fromRate, double toRate) {
        if (fromRate == toRate && labels.length == frames) {
            return labels;
        }
        int[] out = new int[frames];
        for (int t = 0; t < frames; t++) {
            long j = Math.round(t * fromRate / toRate);
            out[t] = labels[(int) Math.max(0, Math.min(labels.length - 1, j))];
        }
        return out;
    }

    @Override
    public void close() {
        for (KMeans km : kmeans) {
            km.close();
        }
        for (TeacherFeatures f : features) {
            f.close();
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The k-means of each feature space: loaded from {@code settings.kmeans()} (one file for one feature
     * space, or a folder holding {@code kmeans-<feature>.safetensors} files), else from {@code kmeans-<feature>.safetensors} in the label folder when a previous run fitted
     * them there (a resumed run must not refit), else fitted on the manifest when {@code settings.fit()},
     * and saved there.
     */
    public static List<KMeans> obtain(TeacherSettings settings, Manifest manifest, List<TeacherFeatures> features,
                                      int[] ks, String teacher) {
        List<KMeans> out = new ArrayList<>();
        if (settings.kmeans() != null && Files.isDirectory(settings.kmeans())) {
            for (TeacherFeatures f : features) {
                out.add(loadChecked(fileFor(settings.kmeans(), f), settings.device(), teacher));
            }
            return out;
        }
        if (settings.kmeans() != null) {
            if (features.size() != 1) {
                throw new IllegalArgumentException(teacher + " uses " + features.size() + " k-means ("
                        + features.stream().map(TeacherFeatures::name).toList() + "): give --fit or put"
                        + " kmeans-<name>.safetensors files in the output folder");
            }
            out.add(loadChecked(settings.kmeans(), settings.device(), teacher));
            return out;
        }
        List<Path> files = new ArrayList<>();
        boolean allThere = true;
        for (TeacherFeatures f : features) {
            Path p = fileFor(settings.outDir(), f);
            files.add(p);
            allThere &= Files.isRegularFile(p);
        }
        if (allThere) {
            if (settings.fit()) {
                settings.log().accept("using the k-means fitted before in " + settings.outDir()
                        + " (delete kmeans-*.safetensors there to fit again)");
            }
            for (Path p : files) {
                out.add(loadChecked(p, settings.device(), teacher));
            }
            return out;
        }
        if (!settings.fit()) {
            throw new IllegalArgumentException(teacher + " needs a k-means: give --kmeans FILE (or --teacher-model"
                    + " FILE for k-means teachers), or --fit to fit one on the manifest");
        }
        List<KMeans> fitted = KMeansTeacherFit.fit(manifest, features, ks, settings.sampleFrames(), settings.seed(),
                settings.device(), settings.log());
        for (int i = 0; i < fitted.size(); i++) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("teacher", teacher);
            meta.put("features", features.get(i).name());
            fitted.get(i).save(files.get(i), meta);
            settings.log().accept("saved " + files.get(i));
        }
        return fitted;
    }

    /** Where {@link #obtain} keeps the fitted k-means of a feature space. */
    public static Path fileFor(Path outDir, TeacherFeatures f) {
        return outDir.resolve("kmeans-" + f.name() + ".safetensors");
    }

    private static KMeans loadChecked(Path file, String device, String teacher) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": k-means file not found (for " + teacher + ")");
        }
        return KMeans.load(file, device);
    }
}
