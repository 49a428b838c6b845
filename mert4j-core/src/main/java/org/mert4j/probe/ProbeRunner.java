package org.mert4j.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.mert4j.tensor.FloatArray;

/**
 * Runs probes of one task on one feature extractor: features from the cache, then for each layer setting the
 * learning-rate grid, the rate with the best validation score kept.
 * Layer settings: {@code all} (softmax-weighted layers 1..L, or the only layer of a signal baseline),
 * {@code sweep} (every hidden state 0..L alone, then all), or one index (negative ones count back from the last).
 */
public final class ProbeRunner {
    private ProbeRunner() {}

    /** The layer settings a {@code --layers} value stands for, for an extractor with {@code layers} layers. */
    public static List<String> layerSettings(String spec, int layers) {
        List<String> out = new ArrayList<>();
        if (spec.equals("all") || layers == 1) {
            out.add("all");
        } else if (spec.equals("sweep")) {
            for (int l = 0; l < layers; l++) {
                out.add(Integer.toString(l));
            }
            out.add("all");
        } else {
            int l;
            try {
                l = Integer.parseInt(spec);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers must be all, sweep or a layer index, got '" + spec + "'");
            }
            int index = l < 0 ? layers + l : l; // -1 = the last, as in Python
            if (index < 0 || index >= layers) {
                throw new IllegalArgumentException("layer " + l + " does not exist: the features have layers 0.."
                        + (layers - 1) + " (-1 = the last)");
            }
            out.add(Integer.toString(index));
        }
        return out;
    }

    static int[] layerIndices(String setting, int layers) {
        if (!setting.equals("all")) {
            return new int[] {Integer.parseInt(setting)};
        }
        if (layers == 1) {
            return new int[] {0};
        }
        int[] out = new int[layers - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = i + 1;
        }
        return out;
    }

    /** Extracts (or reads cached) features, then trains every setting; results in setting order. */
    public static List<ProbeResult> run(Task task, FeatureExtractor extractor, Path cacheRoot, String layers,
            ProbeSettings settings, IntConsumer extractionProgress) throws IOException {
        List<FloatArray> features = FeatureCache.of(cacheRoot, task, extractor).load(task, extractor,
                extractionProgress);
        return train(task, features, extractor.name(), extractor.layers(), extractor.frameRate(), layers, settings);
    }

    public static List<ProbeResult> train(Task task, List<FloatArray> features, String name, int numLayers,
            double frameRate, String layers, ProbeSettings settings) {
        List<ProbeResult> out = new ArrayList<>();
        for (String setting : layerSettings(layers, numLayers)) {
            ProbeTrainer trainer = new ProbeTrainer(task, features, layerIndices(setting, numLayers), settings,
                    frameRate);
            ProbeResult best = null;
            for (double lr : settings.learningRates()) {
                ProbeResult r = trainer.train(lr, name, setting);
                if (best == null || r.valid() > best.valid()) {
                    best = r;
                }
            }
            out.add(best);
        }
        return out;
    }
}
