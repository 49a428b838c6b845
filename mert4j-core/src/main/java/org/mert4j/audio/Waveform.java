package org.mert4j.audio;

import java.util.Arrays;

/**
 * Decoded audio: float32 samples per channel ({@code channels[c][i]}, nominally in [-1, 1]) at
 * {@code sampleRate} Hz. All channels have the same length.
 */
public record Waveform(float[][] channels, int sampleRate) {

    public Waveform {
        if (channels == null || channels.length == 0) {
            throw new IllegalArgumentException("a waveform needs at least one channel, got none");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        for (int c = 1; c < channels.length; c++) {
            if (channels[c].length != channels[0].length) {
                throw new IllegalArgumentException("channel " + c + " has " + channels[c].length
                        + " samples but channel 0 has " + channels[0].length);
            }
        }
    }

    /** A single-channel waveform. */
    public static Waveform ofMono(float[] samples, int sampleRate) {
        return new Waveform(new float[][] {samples}, sampleRate);
    }

    public int numChannels() {
        return channels.length;
    }

    public int numSamples() {
        return channels[0].length;
    }

    public double durationSeconds() {
        return (double) numSamples() / sampleRate;
    }

    /** Samples of one channel (the stored array, not a copy). */
    public float[] channel(int c) {
        return channels[c];
    }

    /**
     * The average of all channels, in float32 like {@code waveform.mean(dim=0)} in torch. A mono waveform
     * returns its only channel.
     */
    public float[] mono() {
        if (channels.length == 1) {
            return channels[0];
        }
        int n = numSamples();
        float[] out = new float[n];
        float count = channels.length;
        for (int i = 0; i < n; i++) {
            float sum = 0f;
            for (float[] ch : channels) {
                sum += ch[i];
            }
            out[i] = sum / count;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Waveform w && w.sampleRate == sampleRate && Arrays.deepEquals(w.channels, channels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(channels) + sampleRate;
    }

    @Override
    public String toString() {
        return "Waveform[" + numChannels() + " ch, " + numSamples() + " samples, " + sampleRate + " Hz]";
    }
}
