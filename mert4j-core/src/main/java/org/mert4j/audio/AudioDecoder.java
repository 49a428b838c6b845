package org.mert4j.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes any audio file FFmpeg can read into a float32 {@link Waveform} at the file's native sample
 * rate and channel count. Sample-format conversion (int16/24/32, float, planar or packed) goes through
 * libswresample to planar float32; no resampling or remixing happens here ({@link Resampler} and
 * {@link Preprocess} do that), so lossless files decode bit-exactly.
 *
 * <p>Encoder delay and padding are removed by libavcodec itself where the container says how much
 * (MP3 LAME/Xing headers, Opus pre-skip, AAC edit lists in MP4).
 *
 * <p>Every FFmpeg object is freed before {@link #decode} returns or throws.
 */
public final class AudioDecoder {

    static {
        // FFmpeg writes warnings about odd files to stderr; errors reach the caller as exceptions instead.
        av_log_set_level(AV_LOG_QUIET);
    }

    private AudioDecoder() {
    }

    /**
     * Decodes the best audio stream of {@code file}.
     *
     * @throws AudioDecodeException if the file is missing, empty, not audio, has no audio stream, or
     *                              decodes to zero samples
     */
    public static Waveform decode(Path file) {
        checkReadable(file);
        AVFormatContext fmt = new AVFormatContext(null);
        int rc;
        // FFmpeg expects UTF-8 file names whatever the JVM's default charset is.
        try (BytePointer url = new BytePointer(file.toAbsolutePath().toString(), StandardCharsets.UTF_8)) {
            rc = avformat_open_input(fmt, url, null, null);
        }
        if (rc < 0) {
            throw new AudioDecodeException(file, "not a decodable audio file (FFmpeg could not open it: "
                    + errorText(rc) + ")");
        }
        try {
            return decodeOpened(file, fmt);
        } finally {
            avformat_close_input(fmt);
        }
    }

    private static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new AudioDecodeException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            throw new AudioDecodeException(file, "is a directory, expected an audio file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new AudioDecodeException(file, "file is empty (0 bytes)");
            }
        } catch (IOException e) {
            throw new AudioDecodeException(file, "cannot read file: " + e.getMessage(), e);
        }
        if (!Files.isReadable(file)) {
            throw new AudioDecodeException(file, "file is not readable");
        }
    }

    private static Waveform decodeOpened(Path file, AVFormatContext fmt) {
        int rc = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
        if (rc < 0) {
            throw new AudioDecodeException(file, "not a decodable audio file (cannot read stream information: "
                    + errorText(rc) + ")");
        }
        int streamIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
        if (streamIndex < 0) {
            String container = fmt.iformat() == null ? "unknown" : fmt.iformat().name().getString();
            throw new AudioDecodeException(file, "not a decodable audio file: no audio stream in "
                    + fmt.nb_streams() + " stream(s) of the '" + container + "' container");
        }
        AVCodecParameters par = fmt.streams(streamIndex).codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new AudioDecodeException(file, "no FFmpeg decoder for audio codec '"
                    + avcodec_get_name(par.codec_id()).getString() + "'");
        }
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            throw new AudioDecodeException(file, "FFmpeg could not allocate a decoder context");
        }
        AVPacket packet = null;
        AVFrame frame = null;
        try (Converter converter = new Converter(file)) {
            check(file, avcodec_parameters_to_context(ctx, par), "cannot configure the decoder");
            check(file, avcodec_open2(ctx, codec, (AVDictionary) null),
                    "cannot open the '" + codec.name().getString() + "' decoder");
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            if (packet == null || packet.isNull() || frame == null || frame.isNull()) {
                throw new AudioDecodeException(file, "FFmpeg could not allocate a packet or frame");
            }
            while ((rc = av_read_frame(fmt, packet)) >= 0) {
                try {
                    if (packet.stream_index() == streamIndex) {
                        sendAndDrain(file, ctx, packet, frame, converter);
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            if (rc != AVERROR_EOF) {
                throw new AudioDecodeException(file, "read error after "
                        + converter.length + " samples: " + errorText(rc));
            }
            sendAndDrain(file, ctx, null, frame, converter); // flush the decoder's delayed frames
            Waveform w = converter.toWaveform();
            if (w == null) {
                throw new AudioDecodeException(file, "contains no audio samples (the audio stream decoded to 0 samples)");
            }
            return w;
        } finally {
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            avcodec_free_context(ctx);
        }
    }

    /** Sends one packet ({@code null} flushes) and converts every frame the decoder hands back. */
    private static void sendAndDrain(Path file, AVCodecContext ctx, AVPacket packet, AVFrame frame,
                                     Converter converter) {
        int rc = avcodec_send_packet(ctx, packet);
        // A corrupt packet is skipped, as the ffmpeg CLI does; only a failing flush is fatal.
        if (rc < 0 && packet == null && rc != AVERROR_EOF) {
            throw new AudioDecodeException(file, "decoder flush failed: " + errorText(rc));
        }
        while (avcodec_receive_frame(ctx, frame) >= 0) {
            try {
                converter.add(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
        // The loop ends on AVERROR(EAGAIN) (needs more input), AVERROR_EOF (flushed) or a broken frame,
        // which is dropped like a corrupt packet.
    }

    private static void check(Path file, int rc, String what) {
        if (rc < 0) {
            throw new AudioDecodeException(file, what + ": " + errorText(rc));
        }
    }

    static String errorText(int rc) {
        byte[] buf = new byte[256];
        if (av_strerror(rc, buf, buf.length) < 0) {
            return "FFmpeg error " + rc;
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Converts decoded frames to planar float32 with libswresample and appends them per channel. The
     * converter is (re)built whenever the frame's sample format changes; the rate and channel count must
     * stay fixed.
     */
    private static final class Converter implements AutoCloseable {
        private final Path file;
        private SwrContext swr;
        private int swrFormat = -1;
        private int rate = -1;
        private int nbChannels = -1;
        private float[][] out;
        private int length;
        private FloatPointer[] planes;
        private PointerPointer<FloatPointer> planePointers;
        private int planeCapacity;

        Converter(Path file) {
            this.file = file;
        }

        void add(AVFrame frame) {
            int n = frame.nb_samples();
            if (n <= 0) {
                return;
            }
            int channels = frame.ch_layout().nb_channels();
            if (rate < 0) {
                if (channels <= 0 || frame.sample_rate() <= 0) {
                    throw new AudioDecodeException(file, "decoder reported " + channels + " channels at "
                            + frame.sample_rate() + " Hz, expected positive values");
                }
                rate = frame.sample_rate();
                nbChannels = channels;
                out = new float[channels][Math.max(n, 4096)];
            } else if (frame.sample_rate() != rate || channels != nbChannels) {
                throw new AudioDecodeException(file, "audio changes from " + nbChannels + " ch at " + rate
                        + " Hz to " + channels + " ch at " + frame.sample_rate() + " Hz mid-stream");
            }
            if (swr == null || frame.format() != swrFormat) {
                openSwr(frame);
            }
            int capacity = swr_get_out_samples(swr, n);
            if (capacity < 0) {
                throw new AudioDecodeException(file, "sample conversion failed: " + errorText(capacity));
            }
            ensurePlanes(Math.max(capacity, n));
            int got = swr_convert(swr, planePointers, planeCapacity, frame.extended_data(), n);
            if (got < 0) {
                throw new AudioDecodeException(file, "sample conversion failed: " + errorText(got));
            }
            append(got);
        }

        private void openSwr(AVFrame frame) {
            freeSwr();
            AVChannelLayout layout = new AVChannelLayout();
            try {
                // Same layout in and out, so swresample only converts the sample format. Files without a
                // channel mask (e.g. some WAVs) get the default layout for their channel count.
                if (frame.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC) {
                    av_channel_layout_default(layout, nbChannels);
                } else if (av_channel_layout_copy(layout, frame.ch_layout()) < 0) {
                    throw new AudioDecodeException(file, "cannot copy the channel layout");
                }
                SwrContext ctx = new SwrContext(null);
                int rc = swr_alloc_set_opts2(ctx, layout, AV_SAMPLE_FMT_FLTP, rate,
                        layout, frame.format(), rate, 0, null);
                if (rc < 0 || ctx.isNull()) {
                    throw new AudioDecodeException(file, "cannot set up sample conversion: " + errorText(rc));
                }
                swr = ctx;
                rc = swr_init(swr);
                if (rc < 0) {
                    throw new AudioDecodeException(file, "cannot set up sample conversion from format "
                            + frame.format() + ": " + errorText(rc));
                }
                swrFormat = frame.format();
            } finally {
                av_channel_layout_uninit(layout);
                layout.close();
            }
        }

        private void ensurePlanes(int samples) {
            if (planes != null && planeCapacity >= samples) {
                return;
            }
            freePlanes();
            planeCapacity = Math.max(samples, 8192);
            planes = new FloatPointer[nbChannels];
            for (int c = 0; c < nbChannels; c++) {
                planes[c] = new FloatPointer(planeCapacity);
            }
            planePointers = new PointerPointer<>(planes);
        }

        private void append(int got) {
            if (got == 0) {
                return;
            }
            if (length + got > out[0].length) {
                long grown = Math.max((long) out[0].length * 2, (long) length + got);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new AudioDecodeException(file, "too long to hold in memory: more than "
                            + (Integer.MAX_VALUE - 8) + " samples per channel");
                }
                for (int c = 0; c < nbChannels; c++) {
                    out[c] = Arrays.copyOf(out[c], (int) grown);
                }
            }
            for (int c = 0; c < nbChannels; c++) {
                planes[c].position(0).get(out[c], length, got);
            }
            length += got;
        }

        /** The collected samples, or {@code null} if there were none. */
        Waveform toWaveform() {
            if (length == 0) {
                return null;
            }
            float[][] channels = new float[nbChannels][];
            for (int c = 0; c < nbChannels; c++) {
                channels[c] = out[c].length == length ? out[c] : Arrays.copyOf(out[c], length);
            }
            return new Waveform(channels, rate);
        }

        private void freeSwr() {
            if (swr != null) {
                swr_free(swr);
                swr = null;
            }
        }

        private void freePlanes() {
            if (planes != null) {
                for (FloatPointer p : planes) {
                    p.close();
                }
                planePointers.close();
                planes = null;
            }
        }

        @Override
        public void close() {
            freeSwr();
            freePlanes();
        }
    }
}
