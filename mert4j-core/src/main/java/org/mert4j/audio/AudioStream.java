package org.mert4j.audio;

import java.nio.file.Path;

/**
 * Reads an audio file a piece at a time as mono float32 at the file's own sample rate, so that a long
 * recording never has to fit in memory. The pieces, concatenated, equal
 * {@code AudioDecoder.decode(file).mono()} exactly: the same FFmpeg decoding, and the channel mean computed
 * as {@link Waveform#mono()} computes it.
 * <pre>{@code
 * try (AudioStream in = AudioStream.open(file)) {
 *     for (float[] piece; (piece = in.read()) != null; ) { ... }
 * }
 * }</pre>
 * Not thread-safe; {@link #close} frees the FFmpeg objects.
 */
public final class AudioStream implements AutoCloseable {
    private final FfmpegReader reader;
    private float[] scratch = new float[0];

    private AudioStream(FfmpegReader reader) {
        this.reader = reader;
    }

    /**
     * Opens {@code file} and decodes its first frame.
     *
     * @throws AudioDecodeException with the same checks and messages as {@link AudioDecoder#decode}: the
     *                              file is missing, empty, not audio, has no audio stream, or decodes to
     *                              zero samples
     */
    public static AudioStream open(Path file) {
        return new AudioStream(FfmpegReader.open(file));
    }

    public Path file() {
        return reader.file();
    }

    /** The file's sample rate in Hz. */
    public int sampleRate() {
        return reader.sampleRate();
    }

    /** The file's channel count (mixed down by {@link #read}). */
    public int numChannels() {
        return reader.numChannels();
    }

    /** The duration the file's header declares in seconds, NaN when it declares none. */
    public double declaredSeconds() {
        return reader.declaredSeconds();
    }

    /** Mono samples returned so far. */
    public long samplesRead() {
        return reader.samplesRead();
    }

    /**
     * After the last piece: a warning if fewer samples were decoded than the file's header declares (a
     * truncated file), else null. See {@link DecodedLength}.
     */
    public String lengthWarning() {
        return DecodedLength.warning(reader.samplesRead() / (double) reader.sampleRate(), reader.declaredSeconds());
    }

    /**
     * The next piece (one decoded frame, typically 1k to 8k samples, never empty), or {@code null} at the
     * end of the file.
     *
     * @throws AudioDecodeException if reading fails part-way
     */
    public float[] read() {
        int n = reader.read();
        if (n < 0) {
            return null;
        }
        int channels = reader.numChannels();
        float[] out = new float[n];
        if (channels == 1) {
            reader.copyChannel(0, out, 0, n);
            return out;
        }
        if (scratch.length < n) {
            scratch = new float[n];
        }
        // From 0f, channel by channel in order, then divided by the count: the float32 operations of
        // Waveform.mono() (starting from 0f also turns -0f into 0f as it does).
        for (int c = 0; c < channels; c++) {
            reader.copyChannel(c, scratch, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] += scratch[i];
            }
        }
        float count = channels;
        for (int i = 0; i < n; i++) {
            out[i] /= count;
        }
        return out;
    }

    @Override
    public void close() {
        reader.close();
    }
}
