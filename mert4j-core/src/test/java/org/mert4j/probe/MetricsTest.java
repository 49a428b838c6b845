package org.mert4j.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Metrics against scikit-learn 1.9 / mir_eval on the random predictions of tools/reference/make_metric_fixtures.py.
 * Tolerance 1e-12: both sides sum the same terms in double precision, only the order differs.
 */
class MetricsTest {
    private static final double TOL = 1e-12;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MetricsTest.class.getResourceAsStream("/probe/metric_fixtures.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void accuracyMatchesSklearn() {
        JsonNode m = fixture.get("multiclass");
        assertEquals(m.get("accuracy").asDouble(), Metrics.accuracy(ints(m.get("truth")), ints(m.get("predicted"))),
                TOL);
    }

    @Test
    void rocAucAndAveragePrecisionMatchSklearnWithTies() {
        JsonNode m = fixture.get("multilabel");
        double[][] scores = doubles2(m.get("scores"));
        double[][] l = doubles2(m.get("labels"));
        boolean[][] labels = new boolean[l.length][l[0].length];
        for (int i = 0; i < l.length; i++) {
            for (int j = 0; j < l[0].length; j++) {
                labels[i][j] = l[i][j] > 0.5;
            }
        }
        for (int j = 0; j < labels[0].length; j++) {
            boolean[] t = new boolean[labels.length];
            double[] s = new double[labels.length];
            for (int i = 0; i < labels.length; i++) {
                t[i] = labels[i][j];
                s[i] = scores[i][j];
            }
            assertEquals(m.get("roc_auc_per_label").get(j).asDouble(), Metrics.rocAuc(t, s), TOL, "AUC label " + j);
            assertEquals(m.get("average_precision_per_label").get(j).asDouble(), Metrics.averagePrecision(t, s), TOL,
                    "AP label " + j);
        }
        assertEquals(m.get("roc_auc_macro").asDouble(), Metrics.macroRocAuc(labels, scores), TOL);
        assertEquals(m.get("average_precision_macro").asDouble(), Metrics.macroAveragePrecision(labels, scores), TOL);
    }

    @Test
    void r2MatchesSklearnPerTarget() {
        JsonNode m = fixture.get("regression");
        double[] r2 = Metrics.r2(doubles2(m.get("targets")), doubles2(m.get("predictions")));
        assertEquals(2, r2.length);
        for (int j = 0; j < 2; j++) {
            assertEquals(m.get("r2").get(j).asDouble(), r2[j], TOL);
        }
    }

    @Test
    void keyScoreMatchesMirEval() {
        JsonNode m = fixture.get("key");
        int n = m.get("pairs").size();
        for (int i = 0; i < n; i++) {
            JsonNode p = m.get("pairs").get(i);
            int ref = Keys.parse(p.get(0).asText());
            int est = Keys.parse(p.get(1).asText());
            assertEquals(m.get("scores").get(i).asDouble(), Keys.weightedScore(ref, est), 0.0, p.toString());
        }
    }

    @Test
    void keyNamesRoundTrip() {
        for (int i = 0; i < Keys.COUNT; i++) {
            assertEquals(i, Keys.parse(Keys.name(i)));
        }
    }

    @Test
    void beatFMeasureMatchesMirEval() {
        for (JsonNode s : fixture.get("beat")) {
            double f = Metrics.beatFMeasure(doubles(s.get("reference")), doubles(s.get("estimated")));
            assertEquals(s.get("f_measure").asDouble(), f, TOL);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static double[][] doubles2(JsonNode a) {
        double[][] out = new double[a.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(a.get(i));
        }
        return out;
    }
}
