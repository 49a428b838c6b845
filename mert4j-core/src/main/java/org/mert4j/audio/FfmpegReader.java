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
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_STREAM;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
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
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The FFmpeg side of {@link AudioDecoder} and {@link AudioStream}: opens the best audio stream of a
 * file and hands back its decoded frames one at a time as planar float32 at the file's own rate and
 * channel count (libswresample converts the sample format only).
 *
 * <p>{@link #open} already decodes the first frame, so the sample rate and channel count are known and
 * a file without any samples fails there. Every FFmpeg object is freed by {@link #close}, or by
 * {@link #open} itself when it throws.
 */
final class FfmpegReader implements AutoCloseable {

    static {
        // FFmpeg writes warnings about odd files to stderr; errors reach the caller as exceptions instead.
        av_log_set_level(AV_LOG_QUIET);
    }

    private final Path file;
    private final AVFormatContext fmt;
    private int streamIndex;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame frame;
    private final Converter converter;
    /** Frames are waiting in the decoder: receive them before reading the next packet. */
    private boolean draining;
    /** The end of the file was reached and the decoder was flushed. */
    private boolean flushed;
    private boolean finished;
    /** Samples per channel of the frame {@link #open} decoded, not yet handed out. */
    private int primed;
    private long samplesRead;
    /** The length the file's header declares, in seconds; NaN when it declares none (or only an estimate). */
    private double declaredSeconds = Double.NaN;

    private FfmpegReader(Path file, AVFormatContext fmt) {
        this.file = file;
        this.fmt = fmt;
        this.converter = new Converter(file);
    }

    /**
     * Opens {@code file} and decodes its first frame.
     *
     * @throws AudioDecodeException if the file is missing, empty, not audio, has no audio stream, or
     *                              decodes to zero samples
     */
    static FfmpegReader open(Path file) {
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
        FfmpegReader r = new FfmpegReader(file, fmt);
        try {
            r.openDecoder();
            int got = r.decodeFrame();
            if (got < 0) {
                throw new AudioDecodeException(file, "contains no audio samples (the audio stream decoded to 0 samples)");
            }
            r.primed = got;
            return r;
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** The sample rate of the decoded audio in Hz. */
    int sampleRate() {
        return converter.rate;
    }

    int numChannels() {
        return converter.nbChannels;
    }

    /**
     * The length the container declares in its header (FLAC STREAMINFO, WAV data size, MP3 Xing/LAME frame
     * count, ...), in seconds, or NaN when it declares none: lengths FFmpeg estimates from the bit rate or
     * from the last packets do not count, since they shrink with the file.
     */
    double declaredSeconds() {
        return declaredSeconds;
    }

    /** Samples per channel handed out by {@link #read} so far. */
    long samplesRead() {
        return samplesRead;
    }

    /**
     * Decodes the next frame: its samples per channel (at least 1), then available through
     * {@link #copyChannel} until the next call, or -1 at the end of the stream.
     */
    int read() {
        int got;
        if (primed > 0) {
            got = primed;
            primed = 0;
        } else {
            got = decodeFrame();
        }
        if (got > 0) {
            samplesRead += got;
        }
        return got;
    }

    /** Copies {@code n} samples of channel {@code c} of the last frame {@link #read} returned into {@code dst}. */
    void copyChannel(int c, float[] dst, int offset, int n) {
        converter.planes[c].position(0).get(dst, offset, n);
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

    private void openDecoder() {
        int rc = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
        if (rc < 0) {
            throw new AudioDecodeException(file, "not a decodable audio file (cannot read stream information: "
                    + errorText(rc) + ")");
        }
        streamIndex = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
        if (streamIndex < 0) {
            String container = fmt.iformat() == null ? "unknown" : fmt.iformat().name().getString();
            throw new AudioDecodeException(file, "not a decodable audio file: no audio stream in "
                    + fmt.nb_streams() + " stream(s) of the '" + container + "' container");
        }
        declaredSeconds = declaredLength();
        AVCodecParameters par = fmt.streams(streamIndex).codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new AudioDecodeException(file, "no FFmpeg decoder for audio codec '"
                    + avcodec_get_name(par.codec_id()).getString() + "'");
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            throw new AudioDecodeException(file, "FFmpeg could not allocate a decoder context");
        }
        ctx = c;
        check(avcodec_parameters_to_context(ctx, par), "cannot configure the decoder");
        check(avcodec_open2(ctx, codec, (AVDictionary) null), "cannot open the '" + codec.name().getString() + "' decoder");
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (packet == null || packet.isNull() || frame == null || frame.isNull()) {
            throw new AudioDecodeException(file, "FFmpeg could not allocate a packet or frame");
        }
    }

    private double declaredLength() {
        double wav = WavHeader.declaredSeconds(file); // FFmpeg takes a WAV's length from the file's size
        if (wav > 0) {
            return wav;
        }
        if (fmt.duration_estimation_method() != AVFMT_DURATION_FROM_STREAM) {
            return Double.NaN;
        }
        AVStream st = fmt.streams(streamIndex);
        AVRational tb = st.time_base();
        if (st.duration() > 0 && st.duration() != AV_NOPTS_VALUE && tb.den() > 0) {
            return st.duration() * (double) tb.num() / tb.den();
        }
        if (fmt.duration() > 0 && fmt.duration() != AV_NOPTS_VALUE) {
            return fmt.duration() / (double) AV_TIME_BASE;
        }
        return Double.NaN;
    }

    /**
     * Reads packets and receives frames until one converts to at least one sample: that count, or -1
     * once the file is read and the decoder flushed.
     */
    private int decodeFrame() {
        while (!finished) {
            if (draining) {
                if (avcodec_receive_frame(ctx, frame) >= 0) {
                    int got;
                    try {
                        got = converter.convert(frame);
                    } finally {
                        av_frame_unref(frame);
                    }
                    if (got > 0) {
                        return got;
                    }
                    continue;
                }
                // AVERROR(EAGAIN) (needs more input), AVERROR_EOF (flushed) or a broken frame, which is
                // dropped like a corrupt packet.
                draining = false;
                if (flushed) {
                    finished = true;
                }
                continue;
            }
            int rc = av_read_frame(fmt, packet);
            if (rc >= 0) {
                try {
                    if (packet.stream_index() == streamIndex) {
                        // A corrupt packet is skipped, as the ffmpeg CLI does.
                        avcodec_send_packet(ctx, packet);
                        draining = true;
                    }
                } finally {
                    av_packet_unref(packet);
                }
            } else if (rc == AVERROR_EOF) {
                // Flush the decoder's delayed frames; only a failing flush is fatal.
                rc = avcodec_send_packet(ctx, null);
                if (rc < 0 && rc != AVERROR_EOF) {
                    throw new AudioDecodeException(file, "decoder flush failed: " + errorText(rc));
                }
                flushed = true;
                draining = true;
            } else {
                throw new AudioDecodeException(file, "read error after " + (samplesRead + primed) + " samples: "
                        + errorText(rc));
            }
        }
        return -1;
    }

    private void check(int rc, String what) {
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

    @Override
    public void close() {
        converter.close();
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (!fmt.isNull()) {
            avformat_close_input(fmt);
        }
    }

    /**
     * Converts decoded frames to planar float32 with libswresample. The converter is (re)built whenever
     * the frame's sample format changes; the rate and channel count must stay fixed.
     */
    private static final class Converter implements AutoCloseable {
        private final Path file;
        private SwrContext swr;
        private int swrFormat = -1;
        private int rate = -1;
        private int nbChannels = -1;
        private FloatPointer[] planes;
        private PointerPointer<FloatPointer> planePointers;
        private int planeCapacity;

        Converter(Path file) {
            this.file = file;
        }

        /** Converts one frame into {@link #planes}: the samples per channel written there. */
        int convert(AVFrame frame) {
            int n = frame.nb_samples();
            if (n <= 0) {
                return 0;
            }
            int channels = frame.ch_layout().nb_channels();
            if (rate < 0) {
                if (channels <= 0 || frame.sample_rate() <= 0) {
                    throw new AudioDecodeException(file, "decoder reported " + channels + " channels at "
                            + frame.sample_rate() + " Hz, expected positive values");
                }
                rate = frame.sample_rate();
                nbChannels = channels;
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
            return got;
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
