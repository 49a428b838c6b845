package org.mert4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.audio.AudioDecodeException;
import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Resampler;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.dsp.Chroma;
import org.mert4j.dsp.ChromaConfig;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.dsp.KaldiMfcc;
import org.mert4j.dsp.KaldiMfccConfig;
import org.mert4j.dsp.MelSpectrogram;
import org.mert4j.dsp.MelSpectrogramConfig;
import org.mert4j.io.Npy;
import org.mert4j.tensor.Tensors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert features}: one signal feature of one audio file as a float32 .npy [frames, bins]. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Computes a signal feature of an audio file: the targets MERT and HuBERT-style pretraining use.",
            "",
            "The file is decoded, mixed to mono and resampled to --sample-rate, then:",
            "  cqt     constant-Q magnitude as nnAudio CQT1992v2: hop 320 at 24 kHz (75/s),",
            "          336 bins from 32.7 Hz, 48 per octave -> [frames, 336]",
            "  mfcc    kaldi MFCC as torchaudio compliance.kaldi.mfcc (25 ms frames, 10 ms",
            "          shift, 23 mel bins, 13 ceps) with deltas, delta-deltas -> [frames, 39]",
            "  logmel  log(mel + 1e-6), torchaudio MelSpectrogram: 2048-point FFT, hop 320,",
            "          128 HTK mels -> [frames, 128]",
            "  chroma  librosa chroma_stft: 2048-point FFT, hop 512, tuning 0,",
            "          max-normalised -> [frames, 12]",
            "  encodec codes of an EnCodec 24 kHz model (--teacher-model DIR, 6 kbps)",
            "          -> int64 [frames, 8]",
            "  rvq     codes of a mert4j RVQ-VAE teacher (--teacher-model DIR)",
            "          -> int64 [frames, codebooks]",
            "Written as .npy, frames along the first axis."},
        footer = {
            "",
            "Examples:",
            "  mert features cqt song.flac --out song_cqt.npy",
            "  mert features mfcc speech.wav --out speech_mfcc.npy",
            "  mert features chroma song.mp3 --out chroma.npy --sample-rate 22050",
            "  mert features encodec song.flac --teacher-model encodec_24khz --out codes.npy",
            "",
            "Exit status: 0 ok, 1 the audio file could not be read or is too short, 2 bad command line."})
public final class FeaturesCommand implements Callable<Integer> {

    /** The features this command computes. */
    public enum Kind { CQT, MFCC, LOGMEL, CHROMA, ENCODEC, RVQ }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FEATURE", description = "cqt, mfcc, logmel, chroma, encodec or rvq.")
    private Kind kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "Audio file (anything FFmpeg decodes).")
    private Path file;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.npy", description = "Output .npy file.")
    private Path out;

    @Option(names = {"-r", "--sample-rate"}, paramLabel = "HZ",
            description = "Rate the audio is resampled to: default 24000, except 16000 for mfcc (HuBERT's recipe).")
    private Integer sampleRate;

    @Option(names = "--teacher-model", paramLabel = "DIR", description = "encodec / rvq: the teacher's model folder.")
    private Path teacherModel;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu", description = "encodec / rvq: cpu or cuda.")
    private String device;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (kind == Kind.ENCODEC || kind == Kind.RVQ) {
            return codes();
        }
        int rate = sampleRate != null ? sampleRate : kind == Kind.MFCC ? 16000 : 24000;
        if (rate <= 0) {
            throw new UsageException("--sample-rate must be positive, got " + rate);
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file");
        }
        PrintWriter err = spec.commandLine().getErr();
        float[] samples;
        try {
            var wave = AudioDecoder.decode(file);
            samples = Resampler.resample(wave.mono(), wave.sampleRate(), rate);
        } catch (AudioDecodeException e) {
            err.println("mert features: " + file + ": " + e.getMessage());
            return ExitCode.SOME_FAILED;
        }
        float[] values;
        long[] shape;
        try (PointerScope scope = new PointerScope()) {
            Tensor f = compute(kind, samples, rate); // [frames, bins]
            values = Tensors.toFloats(f);
            shape = Tensors.shape(f);
        } catch (IllegalArgumentException e) {
            err.println("mert features: " + file + ": " + e.getMessage());
            return ExitCode.SOME_FAILED;
        }
        Npy.writeFloats(out, values, shape);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "%s: %s %d x %d -> %s", file,
                kind.name().toLowerCase(Locale.ROOT), shape[0], shape[1], out));
        return ExitCode.OK;
    }

    /** Codes of a codec teacher: the same as `mert teacher encode`, under the features command. */
    private int codes() throws Exception {
        if (teacherModel == null) {
            throw new UsageException(kind.name().toLowerCase(Locale.ROOT) + " needs --teacher-model DIR");
        }
        try (org.mert4j.teacher.rvq.CodeTeacher teacher =
                     org.mert4j.teacher.CodeTeacherFolders.load(teacherModel, device)) {
            float[] samples;
            try {
                var wave = AudioDecoder.decode(file);
                samples = Resampler.resample(wave.mono(), wave.sampleRate(), teacher.sampleRate());
            } catch (AudioDecodeException e) {
                spec.commandLine().getErr().println("mert features: " + file + ": " + e.getMessage());
                return ExitCode.SOME_FAILED;
            }
            int[][] codes = teacher.codes(samples); // [K][frames]
            int k = codes.length;
            int frames = codes[0].length;
            long[] flat = new long[k * frames];
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < k; c++) {
                    flat[t * k + c] = codes[c][t];
                }
            }
            Npy.writeLongs(out, flat, frames, k);
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "%s: %s codes %d x %d -> %s", file,
                    kind.name().toLowerCase(Locale.ROOT), frames, k, out));
            return ExitCode.OK;
        }
    }

    /** The feature of mono samples at {@code rate} as [frames, bins]. */
    public static Tensor compute(Kind kind, float[] samples, int rate) {
        Tensor x = Tensors.fromFloats(samples, 1, samples.length);
        return switch (kind) {
            case CQT -> new Cqt(CqtConfig.mert().withSampleRate(rate)).forward(x).select(0, 0).t().contiguous();
            case MFCC -> new KaldiMfcc(KaldiMfccConfig.of(rate)).forwardWithDeltas(x).select(0, 0);
            case LOGMEL -> new MelSpectrogram(MelSpectrogramConfig.mert().withSampleRate(rate)).logForward(x)
                    .select(0, 0).t().contiguous();
            case ENCODEC, RVQ -> throw new IllegalArgumentException("codes are not a float feature");
            case CHROMA -> new Chroma(ChromaConfig.of(rate)).forward(x).select(0, 0).t().contiguous();
        };
    }
}
