package org.mert4j.audio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes any audio file FFmpeg can read into a float32 {@link Waveform} at the file's native sample
 * rate and channel count. Sample-format conversion (int16/24/32, float, planar or packed) goes through
 * libswresample to planar float32; no resampling or remixing happens here ({@link Resampler} and
 * {@link Preprocess} do that), so lossless files decode bit-exactly. {@link AudioStream} reads the same
 * samples a piece at a time.
 *
 * <p>Encoder delay and padding are removed by libavcodec itself where the container says how much
 * (MP3 LAME/Xing headers, Opus pre-skip, AAC edit lists in MP4).
 *
 * <p>Every FFmpeg object is freed before {@link #decode} returns or throws.
 */
public final class AudioDecoder {

    private AudioDecoder() {
    }

    /**
     * Decodes the best audio stream of {@code file}.
     *
     * @throws AudioDecodeException if the file is missing, empty, not audio, has no audio stream, or
     *                              decodes to zero samples
     */
    public static Waveform decode(Path file) {
        return decode(file, warning -> { });
    }

    /**
     * Decodes like {@link #decode(Path)} and tells {@code warnings} if the file holds less audio than its
     * header declares (a truncated file: see {@link DecodedLength}).
     */
    public static Waveform decode(Path file, Consumer<String> warnings) {
        try (FfmpegReader reader = FfmpegReader.open(file)) {
            int channels = reader.numChannels();
            // Frames are kept as they come and joined once at the end: no growing array copied over and over.
            List<float[][]> frames = new ArrayList<>();
            long length = 0;
            int got;
            while ((got = reader.read()) > 0) {
                if (length + got > Integer.MAX_VALUE - 8) {
                    throw new AudioDecodeException(file, "too long to hold in memory: more than "
                            + (Integer.MAX_VALUE - 8) + " samples per channel");
                }
                float[][] frame = new float[channels][got];
                for (int c = 0; c < channels; c++) {
                    reader.copyChannel(c, frame[c], 0, got);
                }
                frames.add(frame);
                length += got;
            }
            float[][] out = new float[channels][(int) length];
            int at = 0;
            for (float[][] frame : frames) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(frame[c], 0, out[c], at, frame[c].length);
                }
                at += frame[0].length;
            }
            String warning = DecodedLength.warning(length / (double) reader.sampleRate(), reader.declaredSeconds());
            if (warning != null) {
                warnings.accept(warning);
            }
            return new Waveform(out, reader.sampleRate());
        }
    }
}
