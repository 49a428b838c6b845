package org.mert4j.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.AudioFiles;
import org.mert4j.audio.Resampler;
import org.mert4j.audio.Waveform;
import org.mert4j.cli.console.Counts;
import org.mert4j.cli.console.DownloadBar;
import org.mert4j.cli.console.ProgressBar;
import org.mert4j.cli.console.Summary;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.hub.HubModels;
import org.mert4j.hub.HubSettings;
import org.mert4j.hub.RepoId;
import org.mert4j.io.Npy;
import org.mert4j.teacher.CodeTeacherFolders;
import org.mert4j.teacher.Manifest;
import org.mert4j.teacher.rvq.CodeTeacher;
import org.mert4j.teacher.rvq.NonFiniteWeightsException;
import org.mert4j.teacher.rvq.RvqStepStats;
import org.mert4j.teacher.rvq.RvqTrainOptions;
import org.mert4j.teacher.rvq.RvqVae;
import org.mert4j.teacher.rvq.RvqVaeConfig;
import org.mert4j.teacher.rvq.RvqVaeTrainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mert teacher}: acoustic teachers (EnCodec, RVQ-VAE) that give MERT's pretraining codes. */
@Command(name = "teacher", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        subcommands = {TeacherCommand.TrainRvq.class, TeacherCommand.Encode.class},
        description = {"Acoustic teachers: residual-VQ codes [frames, K] at 75 Hz as MERT's pretraining targets.",
            "EnCodec 24 kHz (Hugging Face facebook/encodec_24khz folders, 6 kbps = 8 codebooks) or a small",
            "RVQ-VAE trained here for users without EnCodec weights."},
        footer = {"", "Examples:",
            "  mert teacher train-rvq --audio music/ --out rvq-teacher --steps 20000",
            "  mert teacher encode --teacher-model facebook/encodec_24khz song.flac \\",
            "                      --out song.codes.npy"})
public final class TeacherCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: train-rvq or encode");
    }

    /** Decodes, mixes to mono and resamples to {@code rate}. */
    static float[] load(Path file, int rate) {
        Waveform w = AudioDecoder.decode(file);
        return Resampler.resample(w.mono(), w.sampleRate(), rate);
    }

    @Command(name = "train-rvq", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Trains a residual-VQ autoencoder teacher on random crops of audio files.",
                "Loss: waveform L1 + multi-scale STFT magnitude + commitment; codebooks follow EMAs of their",
                "residuals; AdamW. The progress line shows the loss and each codebook's perplexity (codes in use).",
                "The model folder (config.json + model.safetensors) is replaced atomically at the end and every",
                "--save-every steps. All training audio is decoded into memory first (24 kHz mono float)."},
            footer = {"", "Examples:",
                "  mert teacher train-rvq --audio music/ --out rvq-teacher",
                "  mert teacher train-rvq --audio @train.txt --out rvq --steps 50000 --batch 16 \\",
                "                         --device cuda --save-every 5000",
                "  mert teacher train-rvq --manifest train.tsv --out rvq --codebooks 4 \\",
                "                         --codebook-size 256",
                "", "--manifest is a fairseq-style list: the first line is a root folder, then one relative path per",
                "line (a tab and a sample count may follow).",
                "", "Exit status: 0 trained, 1 some files could not be read (skipped) or the training diverged (weights",
                "not finite: stopped, never saved; an earlier --save-every save is kept), 2 usage error."})
    static final class TrainRvq implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--audio", paramLabel = "DIR|FILE|@LIST", description = "Training audio (repeatable).")
        private List<String> audio = new ArrayList<>();

        @Option(names = "--manifest", paramLabel = "M", description = "fairseq-style manifest of training audio.")
        private Path manifest;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write.")
        private Path out;

        @Option(names = "--steps", defaultValue = "10000", description = "Optimisation steps (default ${DEFAULT-VALUE}).")
        private int steps;

        @Option(names = "--codebooks", defaultValue = "8", description = "Codebooks K (default ${DEFAULT-VALUE}).")
        private int codebooks;

        @Option(names = "--codebook-size", defaultValue = "1024", description = "Codes per codebook (default ${DEFAULT-VALUE}).")
        private int codebookSize;

        @Option(names = "--batch", defaultValue = "8", description = "Crops per step (default ${DEFAULT-VALUE}).")
        private int batch;

        @Option(names = "--lr", defaultValue = "3e-4", description = "AdamW learning rate (default ${DEFAULT-VALUE}).")
        private double lr;

        @Option(names = "--segment", defaultValue = "1.5", paramLabel = "SECONDS",
                description = "Crop length in seconds (default ${DEFAULT-VALUE}).")
        private double segment;

        @Option(names = "--channels", defaultValue = "16", description = "Width of the first conv (default ${DEFAULT-VALUE}).")
        private int channels;

        @Option(names = "--latent-dim", defaultValue = "64", description = "Latent and code vector size (default ${DEFAULT-VALUE}).")
        private int latentDim;

        @Option(names = "--save-every", defaultValue = "0", paramLabel = "N",
                description = "Also save every N steps (0: only at the end).")
        private int saveEvery;

        @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE}).")
        private String device;

        @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
        private long seed;

        @Mixin
        private VerboseOption verbose;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (audio.isEmpty() && manifest == null) {
                throw new UsageException("no training audio: give --audio DIR|FILE|@LIST or --manifest M");
            }
            if (steps < 1 || batch < 1 || codebooks < 1 || codebookSize < 2 || !(lr > 0) || !(segment > 0) || saveEvery < 0) {
                throw new UsageException("--steps, --batch, --codebooks must be >= 1, --codebook-size >= 2, --lr and"
                        + " --segment > 0, --save-every >= 0");
            }
            RvqVaeConfig d = RvqVaeConfig.defaults();
            RvqVaeConfig config = new RvqVaeConfig(d.sampleRate(), channels, d.strides(), latentDim, codebooks, codebookSize,
                    d.emaDecay(), d.commitment());
            List<AudioFiles.Problem> problems = new ArrayList<>();
            List<Path> files = new ArrayList<>(AudioFiles.expand(audio, problems::add));
            if (manifest != null) {
                files.addAll(Manifest.readPaths(manifest));
            }
            if (files.isEmpty()) {
                throw new UsageException("no audio files found in " + audio + (manifest == null ? "" : " / " + manifest)
                        + (problems.isEmpty() ? "" : ": " + problems.get(0).path() + ": " + problems.get(0).reason()));
            }
            List<float[]> clips = new ArrayList<>();
            int failed = problems.size();
            for (AudioFiles.Problem p : problems) {
                err.println("mert teacher train-rvq: skipping " + p.path() + ": " + p.reason());
            }
            double seconds = 0;
            ProgressBar decoding = ProgressBar.forLongRun(err, files.size(), "mert teacher train-rvq: decoding");
            int decoded = 0;
            for (Path f : files) {
                decoding.update(decoded++, seconds, f.getFileName().toString(), false);
                try {
                    float[] x = load(f, config.sampleRate());
                    if (x.length == 0) {
                        throw new IllegalArgumentException("no samples");
                    }
                    clips.add(x);
                    seconds += x.length / (double) config.sampleRate();
                } catch (RuntimeException e) {
                    failed++;
                    err.println("mert teacher train-rvq: skipping " + f + ": " + e.getMessage());
                }
            }
            decoding.update(files.size(), seconds, null, true);
            decoding.clear();
            if (clips.isEmpty()) {
                err.println("mert teacher train-rvq: error: none of the " + files.size() + " audio files could be read");
                return ExitCode.SOME_FAILED;
            }
            err.printf(Locale.ROOT, "training %s on %s (%.1f s of audio), %d steps of %d x %.2f s on %s%n", config,
                    Counts.of(clips.size(), "file"), seconds, steps, batch, segment, device);
            err.flush();
            RvqVae model = new RvqVae(config, device, seed); // seeded before its weights are drawn: repeatable
            RvqTrainOptions d2 = RvqTrainOptions.defaults();
            RvqTrainOptions options = new RvqTrainOptions(steps, batch, lr, d2.weightDecay(), seed,
                    (int) Math.round(segment * config.sampleRate()), true, d2.deadCodeFloor());
            RvqVaeTrainer trainer = new RvqVaeTrainer(model, options);
            boolean interactive = ProgressBar.interactive();
            long start = System.nanoTime();
            int every = Math.max(1, steps / 20);
            long[] lastLine = {start};
            int[] saved = {0};
            try {
                trainer.train(clips, s -> {
                    String line = progress(s, steps, (System.nanoTime() - start) / 1e9);
                    if (interactive) {
                        err.print("\r" + line);
                        err.flush();
                    } else if (s.step() == 1 || s.step() % every == 0 || s.step() == steps
                            || System.nanoTime() - lastLine[0] > 60e9) { // the first step, 20 lines, or one a minute
                        err.println(line);
                        err.flush();
                        lastLine[0] = System.nanoTime();
                    }
                    if (saveEvery > 0 && s.step() % saveEvery == 0 && s.step() < steps) {
                        model.save(out);
                        saved[0] = s.step();
                    }
                });
            } catch (NonFiniteWeightsException e) {
                if (interactive) {
                    err.println();
                }
                err.println("mert teacher train-rvq: error: " + e.getMessage() + "; try a lower --lr. "
                        + (saved[0] > 0 ? out + " keeps the model saved at step " + saved[0]
                        : "Nothing was saved to " + out) + ".");
                return ExitCode.SOME_FAILED;
            }
            if (interactive) {
                err.println();
            }
            if (trainer.skippedSteps() > 0) {
                err.printf(Locale.ROOT, "%d of %d updates left out: their gradients were not finite%n",
                        trainer.skippedSteps(), steps);
            }
            model.save(out);
            spec.commandLine().getOut().println("saved " + out + " (" + config.numCodebooks() + " x "
                    + config.codebookSize() + " codes at " + config.frameRate() + " Hz)");
            spec.commandLine().getOut().flush();
            return failed > 0 ? ExitCode.SOME_FAILED : ExitCode.OK;
        }

        static String progress(RvqStepStats s, int total, double elapsed) {
            double rate = s.step() / Math.max(elapsed, 1e-9);
            return String.format(Locale.ROOT, "step %d/%d  loss %.4f  recon %.4f  commit %.5f  perplexity %s  %.2f steps/s  ETA %s",
                    s.step(), total, s.loss(), s.reconstruction(), s.commitment(), s.perplexityText(), rate,
                    Summary.clock((total - s.step()) / rate));
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Writes a file's teacher codes as an int64 .npy array [frames, K].",
                "The teacher folder is an EnCodec (config.json model_type 'encodec', encoded at 6 kbps: 8 codebooks)",
                "or an RVQ-VAE from 'mert teacher train-rvq' (model_type 'mert4j_rvq_vae'). The audio is decoded,",
                "mixed to mono and resampled to the teacher's rate (24 kHz); frames = ceil(samples / 320), 75 Hz."},
            footer = {"", "Examples:",
                "  mert teacher encode --teacher-model facebook/encodec_24khz song.flac \\",
                "                      --out song.codes.npy",
                "  mert teacher encode --teacher-model rvq-teacher clip.wav --out clip.npy \\",
                "                      --device cuda",
                "", "Exit status: 0 written, 1 the audio could not be encoded, 2 usage or model folder error."})
    static final class Encode implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--teacher-model", required = true, paramLabel = "DIR|ID",
                description = "Teacher model folder, or a Hub id (facebook/encodec_24khz: fetched into the Hugging"
                        + " Face cache once).")
        private String teacher;

        @Parameters(index = "0", paramLabel = "FILE", description = "Audio file.")
        private Path file;

        @Option(names = "--out", required = true, paramLabel = "NPY", description = "Output .npy (int64 [frames, K]).")
        private Path out;

        @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE}).")
        private String device;

        /** The folder --teacher-model names, or the Hub snapshot of its id. */
        private Path teacherFolder() {
            Path dir = Path.of(teacher);
            if (Files.isDirectory(dir)) {
                return dir;
            }
            if (RepoId.looksLikeId(teacher)) {
                return HubModels.locate(teacher, HubSettings.fromEnvironment(),
                        DownloadBar.forCommand(spec.commandLine().getErr()));
            }
            throw new UsageException("--teacher-model " + teacher + ": no such folder. EnCodec comes from the Hub:"
                    + " give its id, facebook/encodec_24khz (fetched into the Hugging Face cache), or a folder"
                    + " holding its config.json and model.safetensors; an RVQ-VAE folder comes from"
                    + " 'mert teacher train-rvq'");
        }

        @Mixin
        private VerboseOption verbose;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("audio file not found: " + file);
            }
            try (CodeTeacher t = CodeTeacherFolders.load(teacherFolder(), device)) {
                float[] mono = load(file, t.sampleRate());
                if (mono.length == 0) {
                    spec.commandLine().getErr().println("mert teacher encode: error: " + file + ": no audio samples");
                    return ExitCode.SOME_FAILED;
                }
                long startNs = System.nanoTime();
                int[][] codes = t.codes(mono);
                double secs = (System.nanoTime() - startNs) / 1e9;
                int k = codes.length;
                int frames = codes[0].length;
                long[] flat = new long[frames * k];
                for (int f = 0; f < frames; f++) {
                    for (int q = 0; q < k; q++) {
                        flat[f * k + q] = codes[q][f];
                    }
                }
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                Npy.writeLongs(out, flat, frames, k);
                spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d frames x %d codebooks (%.1f s of audio in %.2f s) -> %s%n",
                        file, frames, k, mono.length / (double) t.sampleRate(), secs, out);
                spec.commandLine().getOut().flush();
                return ExitCode.OK;
            }
        }
    }
}
