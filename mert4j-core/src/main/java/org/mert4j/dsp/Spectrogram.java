package org.mert4j.dsp;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/** Short-time Fourier magnitudes as torch.stft / torchaudio {@code Spectrogram} compute them. */
public final class Spectrogram {
    private Spectrogram() {}

    /** The periodic Hann window of {@code length} samples (torch.hann_window, scipy 'hann' with fftbins). */
    public static float[] hann(int length) {
        float[] w = new float[length];
        for (int i = 0; i < length; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / length));
        }
        return w;
    }

    /** Frames for {@code samples} input samples: floor(N / hop) + 1 when centred, else 1 + (N - nFft) / hop. */
    public static long frames(long samples, int nFft, int hop, boolean center) {
        return center ? samples / hop + 1 : samples < nFft ? 0 : 1 + (samples - nFft) / hop;
    }

    /**
     * |STFT|^power of [B, N] float32 waveforms -> [B, nFft / 2 + 1, frames]. The window of {@code winLength}
     * periodic Hann samples is centred in the nFft frame as torch.stft does; {@code center} pads nFft/2 samples
     * each side with {@code pad}.
     */
    public static Tensor power(Tensor wave, int nFft, int winLength, int hop, boolean center, PadMode pad,
            double power) {
        if (nFft <= 0 || hop <= 0 || winLength <= 0 || winLength > nFft) {
            throw new IllegalArgumentException("need 0 < winLength <= nFft and hop > 0, got nFft " + nFft
                    + ", winLength " + winLength + ", hop " + hop);
        }
        Tensor x = Signals.requireBatch(wave, "STFT");
        long n = x.size(1);
        long frames = frames(n, nFft, hop, center);
        if (frames == 0) {
            throw new IllegalArgumentException("STFT of " + nFft + " samples needs at least " + nFft
                    + " input samples without centring, got " + n);
        }
        float[] window = new float[nFft];
        System.arraycopy(hann(winLength), 0, window, (nFft - winLength) / 2, winLength);
        Tensor out;
        try (PointerScope scope = new PointerScope()) {
            Tensor padded = center ? Signals.padBoth(x, nFft / 2, pad) : x;
            Tensor w = Tensors.fromFloats(window, nFft).to(x.device(), torch.ScalarType.Float);
            Tensor spec = torch.fft_rfft(Signals.frames(padded, 0, nFft, hop, frames).mul(w)).abs();
            Tensor p = power == 1.0 ? spec : power == 2.0 ? spec.mul(spec)
                    : spec.pow(new org.bytedeco.pytorch.Scalar(power));
            out = p.transpose(1, 2).contiguous();
            out.retainReference();
        }
        return out;
    }
}
