package org.mert4j.teacher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mert4j.model.MertModel;

/**
 * {@code hubert-kmeans}: k-means (default k 500) on the hidden states of layer {@code layer} of an existing
 * MERT model; labels are already at the encoder's rate. Settings: teacherModel (model folder), layer, and
 * kmeans (a saved file) or fit (k, sampleFrames, seed).
 */
public final class HubertKMeansTeacher implements TeacherFactory {
    public static final String NAME = "hubert-kmeans";
    public static final int DEFAULT_K = 500;

    @Override
    public String description() {
        return "k-means on hidden states of layer --layer of the model --teacher-model (HuBERT iteration 2);"
                + " default k " + DEFAULT_K;
    }

    @Override
    public LabelTeacher create(TeacherSettings s, Manifest manifest) {
        if (s.teacherModel() == null) {
            throw new IllegalArgumentException(NAME + " needs --teacher-model MODEL_DIR (the MERT model whose"
                    + " hidden states are clustered: a folder or a Hugging Face model id)");
        }
        if (s.layer() == TeacherSettings.NO_LAYER) {
            throw new IllegalArgumentException(NAME + " needs --layer N (hidden state index, 0 = before the first"
                    + " transformer layer, -1 = the last)");
        }
        // a folder, or a Hugging Face model id (m-a-p/MERT-v0) resolved through the local cache
        MertModel model = MertModel.load(s.teacherModel().toString(), s.device());
        try {
            if (model.sampleRate() != manifest.sampleRate()) {
                throw new ManifestException("the manifest's lengths are at " + manifest.sampleRate() + " Hz but the"
                        + " model " + s.teacherModel() + " reads " + model.sampleRate() + " Hz: make the manifest"
                        + " with --sample-rate " + model.sampleRate());
            }
            // a negative layer counts back from the last hidden state, as in Python; the record holds the index
            int states = model.config().numHiddenStates();
            int layer = s.layer() < 0 ? states + s.layer() : s.layer();
            if (layer < 0 || layer >= states) {
                throw new IllegalArgumentException("--layer " + s.layer() + " does not exist: the model has hidden"
                        + " states 0.." + (states - 1) + " (-1 = the last)");
            }
            HubertTeacherFeatures f = new HubertTeacherFeatures(model, layer);
            int k = s.k() > 0 ? s.k() : DEFAULT_K;
            List<KMeans> km = KMeansTeacher.obtain(s, manifest, List.of(f), new int[] {k}, NAME);
            Map<String, String> params = new LinkedHashMap<>();
            params.put("teacher_model", s.teacherModel().getFileName().toString());
            params.put("layer", Integer.toString(layer));
            params.put("k", Integer.toString(km.get(0).k()));
            params.put("kmeans", s.kmeans() != null ? s.kmeans().getFileName().toString()
                    : KMeansTeacher.fileFor(s.outDir(), f).getFileName().toString());
            return new KMeansTeacher(NAME, model.sampleRate(), model.config().frameRate(), List.of(f), km,
                    f.name() + "_km" + km.get(0).k(), params, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
