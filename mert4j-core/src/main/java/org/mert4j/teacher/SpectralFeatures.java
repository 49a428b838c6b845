package org.mert4j.teacher;

import org.bytedeco.pytorch.Tensor;
import org.mert4j.dsp.Chroma;
import org.mert4j.dsp.ChromaConfig;
import org.mert4j.dsp.KaldiMfcc;
import org.mert4j.dsp.KaldiMfccConfig;
import org.mert4j.dsp.MelSpectrogram;
import org.mert4j.dsp.MelSpectrogramConfig;
import org.mert4j.tensor.Tensors;

/** The signal features the k-means teachers cluster, as {@link TeacherFeatures} over {@code org.mert4j.dsp}. */
public final class SpectralFeatures {
    private SpectralFeatures() {}

    /** HuBERT's MFCC: Kaldi recipe at 16 kHz (100 frames/s), 13 coefficients + deltas + delta-deltas. */
    public static TeacherFeatures mfcc() {
        KaldiMfcc mfcc = new KaldiMfcc(KaldiMfccConfig.hubert());
        return of("mfcc", mfcc.config().sampleRate(), 1000.0 / mfcc.config().frameShiftMs(),
                x -> mfcc.forwardWithDeltas(x).select(0, 0));
    }

    /** log(mel + 1e-6): 128 HTK mels, 2048-point FFT, hop 320 at the manifest's rate (75 frames/s at 24 kHz). */
    public static TeacherFeatures logMel(int sampleRate) {
        MelSpectrogram mel = new MelSpectrogram(MelSpectrogramConfig.mert().withSampleRate(sampleRate));
        return of("logmel", sampleRate, (double) sampleRate / mel.config().hopLength(),
                x -> mel.logForward(x).select(0, 0).t().contiguous());
    }

    /** librosa chroma_stft: 12 bins, 2048-point FFT, hop 512 at the manifest's rate. */
    public static TeacherFeatures chroma(int sampleRate) {
        Chroma chroma = new Chroma(ChromaConfig.of(sampleRate));
        return of("chroma", sampleRate, (double) sampleRate / chroma.config().hopLength(),
                x -> chroma.forward(x).select(0, 0).t().contiguous());
    }

    private static TeacherFeatures of(String name, int rate, double frameRate,
                                      java.util.function.Function<Tensor, Tensor> frames) {
        return new TeacherFeatures() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int sampleRate() {
                return rate;
            }

            @Override
            public double frameRate() {
                return frameRate;
            }

            @Override
            public Tensor features(float[] mono) {
                return frames.apply(Tensors.fromFloats(mono, 1, mono.length)); // [T, D]
            }
        };
    }
}
