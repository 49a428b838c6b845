package org.mert4j.dsp;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/**
 * MFCC as torchaudio {@code compliance.kaldi.mfcc} (the HuBERT / MERT-v0 k-means teacher), plus deltas and
 * delta-deltas as {@code functional.compute_deltas}. Holds the window, mel banks and DCT on one device.
 */
public final class KaldiMfcc {
    /** torch.finfo(float32).eps: kaldi's floor before the logarithm. */
    private static final double EPSILON = Math.ulp(1.0f);

    private final KaldiMfccConfig config;
    private final Tensor window;     // [window] povey window
    private final Tensor melBanks;   // [padded / 2 + 1, numMelBins], zero Nyquist row
    private final Tensor dctLifter;  // [numMelBins, numCeps], DCT columns times the lifter

    public KaldiMfcc(KaldiMfccConfig config) {
        this(config, new Device("cpu"));
    }

    public KaldiMfcc(KaldiMfccConfig config, Device device) {
        this.config = config;
        int size = config.windowSize();
        float[] w = new float[size];
        for (int i = 0; i < size; i++) {
            // symmetric Hann to the power 0.85 ("povey")
            w[i] = (float) Math.pow(0.5 - 0.5 * Math.cos(2 * Math.PI * i / (size - 1)), 0.85);
        }
        window = keep(Tensors.fromFloats(w, size), device);
        melBanks = keep(Tensors.fromFloats(melBanks(config), config.paddedWindowSize() / 2 + 1,
                config.numMelBins()), device);
        int bins = config.numMelBins();
        int ceps = config.numCeps();
        float[] dct = new float[bins * ceps];
        for (int n = 0; n < bins; n++) {
            for (int k = 0; k < ceps; k++) {
                double d = k == 0 ? Math.sqrt(1.0 / bins)
                        : Math.sqrt(2.0 / bins) * Math.cos(Math.PI / bins * (n + 0.5) * k);
                double lifter = config.cepstralLifter() == 0 ? 1.0
                        : 1.0 + 0.5 * config.cepstralLifter() * Math.sin(Math.PI * k / config.cepstralLifter());
                dct[n * ceps + k] = (float) ((float) d * (float) lifter);
            }
        }
        dctLifter = keep(Tensors.fromFloats(dct, bins, ceps), device);
    }

    private static Tensor keep(Tensor t, Device device) {
        Tensor d = t.to(device, torch.ScalarType.Float);
        d.retainReference();
        return d;
    }

    /** kaldi's triangular filters on the mel scale 1127 ln(1 + f / 700), [padded / 2 + 1, bins] row-major. */
    static float[] melBanks(KaldiMfccConfig c) {
        int bins = c.numMelBins();
        int fftBins = c.paddedWindowSize() / 2;
        double nyquist = 0.5 * c.sampleRate();
        double high = c.highFreq() <= 0 ? c.highFreq() + nyquist : c.highFreq();
        if (!(c.lowFreq() >= 0 && c.lowFreq() < nyquist && high > 0 && high <= nyquist && c.lowFreq() < high)) {
            throw new IllegalArgumentException("kaldi mel bins need 0 <= low < high <= Nyquist " + nyquist
                    + ", got low " + c.lowFreq() + ", high " + high);
        }
        double binWidth = (double) c.sampleRate() / c.paddedWindowSize();
        double melLow = kaldiMel(c.lowFreq());
        double delta = (kaldiMel(high) - melLow) / (bins + 1);
        float[] out = new float[(fftBins + 1) * bins];
        for (int b = 0; b < bins; b++) {
            double left = melLow + b * delta;
            double centre = melLow + (b + 1) * delta;
            double right = melLow + (b + 2) * delta;
            for (int i = 0; i < fftBins; i++) {
                double mel = kaldiMel(binWidth * i);
                double up = (mel - left) / (centre - left);
                double down = (right - mel) / (right - centre);
                out[i * bins + b] = (float) Math.max(0.0, Math.min(up, down));
            }
        }
        return out;
    }

    private static double kaldiMel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    public KaldiMfccConfig config() {
        return config;
    }

    /**
     * [B, N] float32 waveforms (float scale, as HuBERT feeds them) -> [B, frames, numCeps].
     *
     * @throws IllegalArgumentException when N is shorter than one frame, or the input has NaN
     */
    public Tensor forward(Tensor wave) {
        Tensor x = Signals.requireBatch(wave, "kaldi MFCC");
        long n = x.size(1);
        if (n < config.windowSize()) {
            throw new IllegalArgumentException("kaldi MFCC needs at least " + config.windowSize() + " samples ("
                    + config.frameLengthMs() + " ms at " + config.sampleRate() + " Hz), got " + n);
        }
        long frames = config.frames(n);
        int size = config.windowSize();
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            x = x.to(window.device(), torch.ScalarType.Float);
            Tensor f = Signals.frames(x, 0, size, config.windowShift(), frames); // [B, T, size]
            if (config.removeDcOffset()) {
                f = f.sub(f.mean(new long[] {2}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
            }
            if (config.preemphasis() != 0) {
                // x[i] - p x[i-1], with x[-1] = x[0]
                Tensor previous = torch.cat(new TensorVector(f.narrow(2, 0, 1), f.narrow(2, 0, size - 1)), 2);
                f = f.sub(previous.mul(new Scalar(config.preemphasis())));
            }
            f = f.mul(window);
            int pad = config.paddedWindowSize() - size;
            if (pad > 0) {
                f = torch.constant_pad_nd(f, 0, pad);
            }
            Tensor spectrum = torch.fft_rfft(f).abs();
            Tensor power = spectrum.mul(spectrum);
            Tensor mel = power.matmul(melBanks).clamp_min(new Scalar(EPSILON)).log();
            out = mel.matmul(dctLifter).contiguous();
            out.retainReference();
        }
        return out;
    }

    /** MFCC with deltas and delta-deltas appended: [B, frames, 3 numCeps], HuBERT's layout. */
    public Tensor forwardWithDeltas(Tensor wave) {
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            Tensor mfcc = forward(wave);
            Tensor d = deltas(mfcc, 5);
            Tensor dd = deltas(d, 5);
            out = torch.cat(new TensorVector(mfcc, d, dd), 2).contiguous();
            out.retainReference();
        }
        return out;
    }

    /**
     * torchaudio {@code compute_deltas} along the time axis of [B, T, C]: sum over k of k x[t + k] divided by
     * 2 sum k^2, k from -(win-1)/2 to (win-1)/2, edges replicated.
     */
    public static Tensor deltas(Tensor features, int winLength) {
        if (winLength < 3) {
            throw new IllegalArgumentException("delta window must be at least 3, got " + winLength);
        }
        if (features.dim() != 3) {
            throw new IllegalArgumentException("expected [batch, frames, coefficients], got "
                    + Tensors.shapeString(features));
        }
        int half = (winLength - 1) / 2;
        double denominator = half * (half + 1) * (2 * half + 1) / 3.0;
        long t = features.size(1);
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            Tensor padded = torch.pad(features.transpose(1, 2), new long[] {half, half}, "replicate",
                    new DoubleOptional()).transpose(1, 2);
            Tensor sum = null;
            for (int k = -half; k <= half; k++) {
                if (k == 0) {
                    continue;
                }
                Tensor term = padded.narrow(1, half + k, t).mul(new Scalar((double) k));
                sum = sum == null ? term : sum.add(term);
            }
            out = sum.div(new Scalar(denominator)).contiguous();
            out.retainReference();
        }
        return out;
    }
}
