package org.mert4j.teacher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signal-feature k-means teachers of MERT-v0 / HuBERT iteration 1:
 * <ul>
 *   <li>{@value #MFCC}: k-means (default k 500) on 39-dim Kaldi MFCC (13 + deltas + delta-deltas) at 16 kHz,
 *       100 frames/s, aligned to the encoder by nearest frame ({@link KMeansTeacher});</li>
 *   <li>{@value #LOGMEL_CHROMA}: k-means on log-mel (k 300) and on chroma (k 200), one product label
 *       mel * 200 + chroma (60,000 classes).</li>
 * </ul>
 * The features are {@link SpectralFeatures} over the signal-processing package.
 */
public final class SpectralKMeansTeachers {
    public static final String MFCC = "mfcc-kmeans";
    public static final String LOGMEL_CHROMA = "logmel-chroma-kmeans";

    private SpectralKMeansTeachers() {}

    public static TeacherFactory mfcc() {
        return new Factory(MFCC, rate -> List.of(SpectralFeatures.mfcc()), new int[] {500},
                "k-means on 39-dim Kaldi MFCC at 16 kHz (100 Hz, nearest-frame aligned); default k 500");
    }

    public static TeacherFactory logMelChroma() {
        return new Factory(LOGMEL_CHROMA, rate -> List.of(SpectralFeatures.logMel(rate), SpectralFeatures.chroma(rate)),
                new int[] {300, 200},
                "k-means on log-mel (k 300) and chroma (k 200), product label mel*200+chroma (60,000 classes)");
    }

    /** Builds a teacher's feature functions for the manifest's sample rate. */
    private interface FeatureSet {
        List<TeacherFeatures> at(int sampleRate);
    }

    private record Factory(String name, FeatureSet featureSet, int[] defaultKs, String description)
            implements TeacherFactory {

        @Override
        public LabelTeacher create(TeacherSettings s, Manifest manifest) {
            List<TeacherFeatures> features = new ArrayList<>(featureSet.at(manifest.sampleRate()));
            int[] ks = defaultKs.clone();
            if (s.k() > 0) {
                if (ks.length != 1) {
                    throw new IllegalArgumentException("--k applies to one k-means; " + name + " uses "
                            + ks.length + " (k " + java.util.Arrays.toString(ks) + ")");
                }
                ks[0] = s.k();
            }
            // for these teachers --teacher-model names the fitted k-means (a file, or a folder of kmeans-*.safetensors)
            if (s.kmeans() == null && s.teacherModel() != null) {
                s = new TeacherSettings(s.outDir(), null, s.teacherModel(), s.layer(), s.k(), s.fit(), s.sampleFrames(),
                        s.seed(), s.device(), s.log());
            }
            List<KMeans> km = KMeansTeacher.obtain(s, manifest, features, ks, name);
            StringBuilder stream = new StringBuilder();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < features.size(); i++) {
                stream.append(i > 0 ? "_" : "").append(features.get(i).name()).append("_km").append(km.get(i).k());
                params.put("k_" + features.get(i).name(), Integer.toString(km.get(i).k()));
                params.put("kmeans_" + features.get(i).name(), s.kmeans() != null
                        ? s.kmeans().getFileName().toString()
                        : KMeansTeacher.fileFor(s.outDir(), features.get(i)).getFileName().toString());
            }
            double encoderRate = manifest.sampleRate() / 320.0; // the conv front end's stride
            return new KMeansTeacher(name, manifest.sampleRate(), encoderRate, features, km, stream.toString(),
                    params, null);
        }
    }
}
