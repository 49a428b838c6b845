package org.mert4j.probe;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.optim.AdamW;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * Trains one probe on cached features with the MARBLE recipe: Adam, ReduceLROnPlateau (factor 0.5) and early
 * stopping on the validation metric, the best epoch kept. Clip tasks train on windows and average window
 * predictions per clip; beat tasks train on frames (beat frame 1, its neighbours 0.5) and pick peaks.
 * Features are standardised with the training split's mean and deviation.
 */
public final class ProbeTrainer {
    private static final int EVAL_BATCH = 2048;
    private static final double MIN_BEAT_INTERVAL = 0.15;

    private final Task task;
    private final ProbeSettings settings;
    private final int[] layerSel;
    private final int s;
    private final int d;
    private final double frameRate;
    private final Samples train;
    private final Samples valid;
    private final Samples test;

    /** Window or frame feature rows of one split, with the clip each row belongs to. */
    private record Samples(List<TaskExample> clips, float[] x, int rows, int[] clipOf, float[] y, int[] clipStart) {}

    /**
     * @param features per example of the task, as {@link FeatureCache#load} returns them
     * @param layers   hidden-state indices stacked as probe input (softmax-weighted when more than one)
     */
    public ProbeTrainer(Task task, List<FloatArray> features, int[] layers, ProbeSettings settings, double frameRate) {
        this.task = task;
        this.settings = settings;
        this.layerSel = layers.clone();
        this.s = layers.length;
        this.frameRate = frameRate;
        FloatArray first = features.get(0);
        this.d = (int) first.shape()[2];
        this.train = samples(Split.TRAIN, features);
        this.valid = samples(Split.VALID, features);
        this.test = samples(Split.TEST, features);
        standardise();
    }

    private Samples samples(Split split, List<FloatArray> features) {
        List<TaskExample> clips = new ArrayList<>();
        List<FloatArray> fs = new ArrayList<>();
        for (int i = 0; i < task.examples().size(); i++) {
            if (task.examples().get(i).split() == split) {
                clips.add(task.examples().get(i));
                fs.add(features.get(i));
            }
        }
        boolean beat = task.type().framewise();
        int rows = 0;
        int[] clipStart = new int[clips.size() + 1];
        for (int c = 0; c < fs.size(); c++) {
            clipStart[c] = rows;
            rows += (int) (beat ? fs.get(c).shape()[1] : fs.get(c).shape()[0]);
        }
        clipStart[fs.size()] = rows;
        float[] x = new float[rows * s * d];
        int[] clipOf = new int[rows];
        int width = beat ? 1 : task.outputs();
        float[] y = new float[rows * width];
        int r = 0;
        for (int c = 0; c < fs.size(); c++) {
            FloatArray f = fs.get(c);
            FloatBuffer values = f.values();
            int layersIn = (int) (beat ? f.shape()[0] : f.shape()[1]);
            int n = (int) (beat ? f.shape()[1] : f.shape()[0]);
            if (f.shape()[2] != d) {
                throw new IllegalArgumentException("feature width differs between clips: " + f.shape()[2] + " vs " + d);
            }
            float[] target = beat ? beatTargets(clips.get(c).beats(), n) : null;
            for (int k = 0; k < n; k++, r++) {
                clipOf[r] = c;
                for (int li = 0; li < s; li++) {
                    int l = layerSel[li];
                    if (l >= layersIn) {
                        throw new IllegalArgumentException("layer " + l + " requested, features have " + layersIn);
                    }
                    int src = beat ? (l * n + k) * d : (k * layersIn + l) * d;
                    values.get(src, x, (r * s + li) * d, d);
                }
                if (beat) {
                    y[r] = target[k];
                } else {
                    task.type().writeTarget(task, clips.get(c), y, r * width);
                }
            }
        }
        return new Samples(clips, x, rows, clipOf, y, clipStart);
    }

    private float[] beatTargets(double[] beats, int frames) {
        float[] t = new float[frames];
        for (double b : beats) {
            int i = (int) Math.round(b * frameRate);
            for (int k = -1; k <= 1; k++) {
                if (i + k >= 0 && i + k < frames) {
                    t[i + k] = Math.max(t[i + k], k == 0 ? 1f : 0.5f);
                }
            }
        }
        return t;
    }

    private void standardise() {
        int cols = s * d;
        double[] mean = new double[cols];
        double[] sq = new double[cols];
        for (int r = 0; r < train.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += train.x()[r * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= Math.max(1, train.rows());
        }
        for (int r = 0; r < train.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                double c = train.x()[r * cols + j] - mean[j];
                sq[j] += c * c;
            }
        }
        for (Samples sm : List.of(train, valid, test)) {
            for (int r = 0; r < sm.rows(); r++) {
                for (int j = 0; j < cols; j++) {
                    double sd = Math.sqrt(sq[j] / Math.max(1, train.rows())) + 1e-5;
                    sm.x()[r * cols + j] = (float) ((sm.x()[r * cols + j] - mean[j]) / sd);
                }
            }
        }
    }

    /** Trains at one learning rate; the result's valid score is that of the best epoch. */
    public ProbeResult train(double lr, String featuresName, String layerLabel) {
        long started = System.nanoTime();
        torch.manual_seed(settings.seed());
        boolean beat = task.type().framewise();
        ProbeModel model = new ProbeModel(s, d, settings.hidden(), task.outputs(), settings.dropout());
        AdamW adam = new AdamW(model.params(), 0.9, 0.999, 1e-8, 0);
        Random shuffle = new Random(settings.seed());
        int batch = beat ? settings.frameBatch() : settings.batchSize();
        double best = Double.NEGATIVE_INFINITY;
        double plateauBest = Double.NEGATIVE_INFINITY;
        Map<String, float[]> bestState = model.snapshot();
        double bestThreshold = 0.5;
        int sincePlateau = 0;
        int sinceBest = 0;
        int epochs = 0;
        double rate = lr;
        int[] order = new int[train.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < settings.maxEpochs(); epoch++) {
            epochs = epoch + 1;
            for (int i = order.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += batch) {
                int n = Math.min(batch, order.length - from);
                try (PointerScope scope = new PointerScope()) {
                    Tensor x = rows(train, order, from, n);
                    Tensor loss = task.type().output().loss(model.forward(x, true), targets(train, order, from, n));
                    loss.backward();
                    adam.step(rate);
                    adam.zeroGrad();
                }
            }
            Evaluation v = evaluate(model, valid, Double.NaN);
            if (v.score() > best) {
                best = v.score();
                bestState = model.snapshot();
                bestThreshold = v.threshold();
                sinceBest = 0;
            } else if (++sinceBest >= settings.stopPatience()) {
                break;
            }
            // ReduceLROnPlateau(mode=max, factor=0.5), on the same validation score
            if (v.score() > plateauBest) {
                plateauBest = v.score();
                sincePlateau = 0;
            } else if (++sincePlateau > settings.plateauPatience()) {
                rate *= 0.5;
                sincePlateau = 0;
            }
        }
        model.restore(bestState);
        Evaluation t = evaluate(model, test, bestThreshold);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new ProbeResult(featuresName, layerLabel, settings.hidden() > 0 ? "mlp" : "linear", lr, best,
                t.score(), t.metrics(), epochs, model.layerWeights(), seconds);
    }

    private Tensor rows(Samples sm, int[] order, int from, int n) {
        int cols = s * d;
        float[] buf = new float[n * cols];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sm.x(), order[from + i] * cols, buf, i * cols, cols);
        }
        return Tensors.fromFloats(buf, n, s, d);
    }

    private Tensor targets(Samples sm, int[] order, int from, int n) {
        int width = task.type().framewise() ? 1 : task.outputs();
        if (task.type().output() == TaskType.Output.CLASS) {
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                t[i] = (long) sm.y()[order[from + i] * width]; // class index in the row's first slot
            }
            return Tensors.fromLongs(t, n);
        }
        float[] t = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(sm.y(), order[from + i] * width, t, i * width, width);
        }
        return Tensors.fromFloats(t, n, width);
    }

    private record Evaluation(double score, Map<String, Double> metrics, double threshold) {}

    /** Per-row outputs (probabilities for classes and beats, values for regression). */
    private float[] predict(ProbeModel model, Samples sm) {
        int width = task.type().framewise() ? 1 : task.outputs();
        float[] out = new float[sm.rows() * width];
        int[] identity = new int[sm.rows()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        try (NoGradGuard g = new NoGradGuard()) {
            for (int from = 0; from < sm.rows(); from += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, sm.rows() - from);
                try (PointerScope scope = new PointerScope()) {
                    Tensor o = task.type().output().predictions(model.forward(rows(sm, identity, from, n), false));
                    System.arraycopy(Tensors.toFloats(o.contiguous()), 0, out, from * width, n * width);
                }
            }
        }
        return out;
    }

    /** Scores a split; {@code threshold} NaN searches the beat peak threshold (validation). */
    private Evaluation evaluate(ProbeModel model, Samples sm, double threshold) {
        float[] p = predict(model, sm);
        int clips = sm.clips().size();
        Map<String, Double> m = new LinkedHashMap<>();
        if (task.type().framewise()) {
            double[] grid = Double.isNaN(threshold) ? new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}
                    : new double[] {threshold};
            double bestF = -1;
            double bestT = grid[0];
            for (double th : grid) {
                double f = 0;
                for (int c = 0; c < clips; c++) {
                    float[] act = Arrays.copyOfRange(p, sm.clipStart()[c], sm.clipStart()[c + 1]);
                    f += Metrics.beatFMeasure(sm.clips().get(c).beats(), pickPeaks(act, frameRate, th));
                }
                f /= clips;
                if (f > bestF) {
                    bestF = f;
                    bestT = th;
                }
            }
            m.put("beat_f", bestF);
            m.put("threshold", bestT);
            return new Evaluation(bestF, m, bestT);
        }
        int width = task.outputs();
        double[][] perClip = new double[clips][width];
        int[] windows = new int[clips];
        for (int r = 0; r < sm.rows(); r++) {
            int c = sm.clipOf()[r];
            windows[c]++;
            for (int j = 0; j < width; j++) {
                perClip[c][j] += p[r * width + j];
            }
        }
        for (int c = 0; c < clips; c++) {
            for (int j = 0; j < width; j++) {
                perClip[c][j] /= windows[c];
            }
        }
        m.putAll(task.type().clipMetrics(task, sm.clips(), perClip));
        Double score = m.get(task.metric());
        if (score == null) {
            throw new IllegalArgumentException("metric " + task.metric() + " does not apply to a " + task.type().id()
                    + " task");
        }
        return new Evaluation(Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score, m, Double.NaN);
    }

    /** Local maxima of the activation at or above {@code threshold}, at least 0.15 s apart (the higher kept). */
    public static double[] pickPeaks(float[] activation, double frameRate, double threshold) {
        List<Integer> peaks = new ArrayList<>();
        int minGap = (int) Math.max(1, Math.round(MIN_BEAT_INTERVAL * frameRate));
        for (int t = 0; t < activation.length; t++) {
            float a = activation[t];
            boolean left = t == 0 || a >= activation[t - 1];
            boolean right = t == activation.length - 1 || a > activation[t + 1];
            if (a < threshold || !left || !right) {
                continue;
            }
            if (!peaks.isEmpty() && t - peaks.get(peaks.size() - 1) < minGap) {
                if (a > activation[peaks.get(peaks.size() - 1)]) {
                    peaks.set(peaks.size() - 1, t);
                }
                continue;
            }
            peaks.add(t);
        }
        return peaks.stream().mapToDouble(t -> t / frameRate).toArray();
    }
}
