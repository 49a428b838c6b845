package org.mert4j.probe;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.Resampler;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.dsp.KaldiMfcc;
import org.mert4j.dsp.KaldiMfccConfig;
import org.mert4j.dsp.PadMode;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * Signal-feature baselines, one "layer":
 * {@code mfcc}: kaldi MFCC (13 ceps) with deltas and delta-deltas, 39 per frame at 100 frames/s; pooled as
 * mean and standard deviation over time, 78 dims.
 * {@code cqt}: log(CQT magnitude + 1e-6), 84 semitone bins from 32.7 Hz, 75 frames/s; pooled as mean and
 * standard deviation, 168 dims.
 */
public final class SignalFeatures implements FeatureExtractor {
    public enum Kind { MFCC, CQT }

    private static final int RATE = 24000;
    private final Kind kind;
    private final KaldiMfcc mfcc;
    private final Cqt cqt;

    public SignalFeatures(Kind kind) {
        this.kind = kind;
        this.mfcc = kind == Kind.MFCC ? new KaldiMfcc(KaldiMfccConfig.of(RATE)) : null;
        this.cqt = kind == Kind.CQT ? new Cqt(new CqtConfig(RATE, 320, 32.7, 84, 12, 1.0, PadMode.CONSTANT)) : null;
    }

    @Override
    public String name() {
        return kind == Kind.MFCC ? "mfcc" : "cqt";
    }

    @Override
    public String fingerprint() {
        return kind == Kind.MFCC ? "kaldi-mfcc39-24k-v1" : "cqt84-24k-log-v1";
    }

    @Override
    public int layers() {
        return 1;
    }

    @Override
    public int dim() {
        return 2 * frameDim();
    }

    private int frameDim() {
        return kind == Kind.MFCC ? 39 : 84;
    }

    @Override
    public double frameRate() {
        return kind == Kind.MFCC ? 100.0 : RATE / 320.0;
    }

    /** [T, frameDim] features of the clip. */
    private float[] frameFeatures(float[] mono, int sampleRate) {
        float[] x = Resampler.resample(mono, sampleRate, RATE);
        int minimum = kind == Kind.MFCC ? mfcc.config().windowSize() : 1;
        if (x.length < minimum) {
            x = java.util.Arrays.copyOf(x, minimum);
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor wave = Tensors.fromFloats(x, 1, x.length);
            Tensor f = kind == Kind.MFCC ? mfcc.forwardWithDeltas(wave).select(0, 0)
                    : cqt.forward(wave).select(0, 0).t().add(new org.bytedeco.pytorch.Scalar(1e-6)).log();
            return Tensors.toFloats(f.contiguous());
        }
    }

    @Override
    public FloatArray pooled(float[] mono, int sampleRate) {
        float[] f = frameFeatures(mono, sampleRate);
        int d = frameDim();
        int t = f.length / d;
        float[] out = new float[2 * d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (int i = 0; i < t; i++) {
                sum += f[i * d + j];
            }
            double mean = sum / t;
            double sq = 0;
            for (int i = 0; i < t; i++) {
                double c = f[i * d + j] - mean;
                sq += c * c;
            }
            out[j] = (float) mean;
            out[d + j] = (float) Math.sqrt(sq / t);
        }
        return new FloatArray(out, new long[] {1, 2 * d});
    }

    /** Frame features padded to {@link #dim()} with their change from the previous frame (onset evidence). */
    @Override
    public FloatArray frames(float[] mono, int sampleRate) {
        float[] f = frameFeatures(mono, sampleRate);
        int d = frameDim();
        int t = f.length / d;
        float[] out = new float[t * 2 * d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                out[i * 2 * d + j] = f[i * d + j];
                out[i * 2 * d + d + j] = i == 0 ? 0 : f[i * d + j] - f[(i - 1) * d + j];
            }
        }
        return new FloatArray(out, new long[] {1, t, 2 * d});
    }
}
