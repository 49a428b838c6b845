package org.mert4j.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The MARBLE evaluation metrics as pure functions, each computing what its scikit-learn or mir_eval
 * counterpart computes (ties included).
 */
public final class Metrics {
    /** mir_eval's beat matching window. */
    public static final double BEAT_WINDOW_SECONDS = 0.07;
    /** mir_eval.beat.trim_beats: beats before this are ignored. */
    public static final double BEAT_MIN_TIME = 5.0;

    private Metrics() {}

    /** sklearn accuracy_score. */
    public static double accuracy(int[] truth, int[] predicted) {
        requireSameLength(truth.length, predicted.length);
        int hits = 0;
        for (int i = 0; i < truth.length; i++) {
            hits += truth[i] == predicted[i] ? 1 : 0;
        }
        return truth.length == 0 ? Double.NaN : (double) hits / truth.length;
    }

    /** sklearn roc_auc_score of one binary label: the trapezoid area, equal to the Mann-Whitney U with mid-ranks. */
    public static double rocAuc(boolean[] truth, double[] score) {
        requireSameLength(truth.length, score.length);
        Integer[] order = byScore(score, false);
        double[] rank = new double[score.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                rank[order[t]] = mid;
            }
            i = j + 1;
        }
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i]) {
                pos++;
                rankSum += rank[i];
            }
        }
        long neg = truth.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** sklearn average_precision_score of one binary label: sum over distinct thresholds of (R_n - R_n-1) P_n. */
    public static double averagePrecision(boolean[] truth, double[] score) {
        requireSameLength(truth.length, score.length);
        Integer[] order = byScore(score, true);
        long positives = 0;
        for (boolean t : truth) {
            positives += t ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double lastRecall = 0;
        long tp = 0;
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j < order.length && score[order[j]] == score[order[i]]) {
                tp += truth[order[j]] ? 1 : 0;
                j++;
            }
            double recall = (double) tp / positives;
            double precision = (double) tp / j;
            ap += (recall - lastRecall) * precision;
            lastRecall = recall;
            i = j;
        }
        return ap;
    }

    /** Macro ROC-AUC over the columns of [n][labels]; labels with only one class in {@code truth} are skipped. */
    public static double macroRocAuc(boolean[][] truth, double[][] scores) {
        return macro(truth, scores, true);
    }

    /** Macro average precision over the columns of [n][labels]; labels without a positive are skipped. */
    public static double macroAveragePrecision(boolean[][] truth, double[][] scores) {
        return macro(truth, scores, false);
    }

    private static double macro(boolean[][] truth, double[][] scores, boolean auc) {
        requireSameLength(truth.length, scores.length);
        if (truth.length == 0) {
            return Double.NaN;
        }
        int labels = truth[0].length;
        double sum = 0;
        int counted = 0;
        for (int j = 0; j < labels; j++) {
            boolean[] t = new boolean[truth.length];
            double[] s = new double[truth.length];
            for (int i = 0; i < truth.length; i++) {
                t[i] = truth[i][j];
                s[i] = scores[i][j];
            }
            double v = auc ? rocAuc(t, s) : averagePrecision(t, s);
            if (!Double.isNaN(v)) {
                sum += v;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** sklearn r2_score per target (multioutput raw_values) of [n][targets]; a constant target gives 1 or 0. */
    public static double[] r2(double[][] truth, double[][] predicted) {
        requireSameLength(truth.length, predicted.length);
        int k = truth.length == 0 ? 0 : truth[0].length;
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (double[] row : truth) {
                mean += row[j];
            }
            mean /= truth.length;
            double ssRes = 0;
            double ssTot = 0;
            for (int i = 0; i < truth.length; i++) {
                double d = truth[i][j] - predicted[i][j];
                double c = truth[i][j] - mean;
                ssRes += d * d;
                ssTot += c * c;
            }
            out[j] = ssTot == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1 - ssRes / ssTot;
        }
        return out;
    }

    /** Mean of mir_eval.key.weighted_score over pairs of key class indices (see {@link Keys}). */
    public static double keyWeightedScore(int[] reference, int[] estimated) {
        requireSameLength(reference.length, estimated.length);
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            sum += Keys.weightedScore(reference[i], estimated[i]);
        }
        return reference.length == 0 ? Double.NaN : sum / reference.length;
    }

    /** mir_eval.beat.trim_beats: the beats at or after {@code minTime}. */
    public static double[] trimBeats(double[] beats, double minTime) {
        return Arrays.stream(beats).filter(b -> b >= minTime).toArray();
    }

    /**
     * mir_eval.beat.f_measure on trimmed beats (before 5 s ignored) with a 70 ms window: a maximum one-to-one
     * matching of reference and estimated beats no more than the window apart.
     */
    public static double beatFMeasure(double[] reference, double[] estimated) {
        return beatFMeasure(trimBeats(reference, BEAT_MIN_TIME), trimBeats(estimated, BEAT_MIN_TIME),
                BEAT_WINDOW_SECONDS);
    }

    /** mir_eval.beat.f_measure of already trimmed beats. */
    public static double beatFMeasure(double[] reference, double[] estimated, double window) {
        if (reference.length == 0 || estimated.length == 0) {
            return 0.0;
        }
        int matched = maximumMatching(reference, estimated, window);
        double precision = (double) matched / estimated.length;
        double recall = (double) matched / reference.length;
        return precision == 0 && recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    }

    /** Size of a maximum bipartite matching of events within {@code window} (augmenting paths). */
    static int maximumMatching(double[] ref, double[] est, double window) {
        List<List<Integer>> hits = new ArrayList<>();
        for (double e : est) {
            List<Integer> h = new ArrayList<>();
            for (int r = 0; r < ref.length; r++) {
                // mir_eval tests est - w <= ref <= est + w
                if (ref[r] >= e - window && ref[r] <= e + window) {
                    h.add(r);
                }
            }
            hits.add(h);
        }
        int[] refMatch = new int[ref.length];
        Arrays.fill(refMatch, -1);
        int matched = 0;
        for (int e = 0; e < est.length; e++) {
            if (augment(e, hits, refMatch, new boolean[ref.length])) {
                matched++;
            }
        }
        return matched;
    }

    private static boolean augment(int e, List<List<Integer>> hits, int[] refMatch, boolean[] seen) {
        for (int r : hits.get(e)) {
            if (seen[r]) {
                continue;
            }
            seen[r] = true;
            if (refMatch[r] < 0 || augment(refMatch[r], hits, refMatch, seen)) {
                refMatch[r] = e;
                return true;
            }
        }
        return false;
    }

    private static Integer[] byScore(double[] score, boolean descending) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Comparator<Integer> c = Comparator.comparingDouble(i -> score[i]);
        Arrays.sort(order, descending ? c.reversed() : c);
        return order;
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("truth and predictions differ in length: " + a + " vs " + b);
        }
    }
}
