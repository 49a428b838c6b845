package org.mert4j.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.Resampler;
import org.mert4j.hub.HubModels;
import org.mert4j.io.CheckpointFiles;
import org.mert4j.io.StateDict;
import org.mert4j.tensor.CpuThreads;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.FloatArray;

/**
 * A MERT checkpoint ready for inference: the entry point for Java users.
 * <pre>{@code
 * try (MertModel mert = MertModel.load("m-a-p/MERT-v1-95M")) {   // or a folder: MertModel.load(Path.of("MERT-v1-95M"))
 *     FloatArray perLayer = mert.embed(Path.of("song.flac"));        // [L+1, H], MARBLE protocol
 *     FloatArray frames = mert.hiddenStates(mono, 44100);            // [L+1, T, H]
 * }
 * }</pre>
 * On the CPU, loading builds the inference plan ({@link CpuInferenceOptions}): fused and int8 weights
 * derived once from the loaded weights, freed by {@link #close()}. Concurrent calls from several
 * threads are safe: inference only reads the weights. Creating a CPU model sets OpenBLAS to one thread
 * for the whole process ({@link CpuThreads}); libtorch's own thread count
 * ({@code torch.set_num_threads}) stays the caller's choice.
 */
public final class MertModel implements AutoCloseable {
    private final MertConfig config;
    private final PreprocessorConfig preprocessor;
    private final MertEncoder encoder;
    private final Device device;
    // on the CPU: the inference plan the embedder runs; null on a GPU, where the plain encoder runs
    private CpuEncoder cpuPlan;
    private CpuInferenceOptions cpuOptions;
    private volatile Embedder embedder;

    private MertModel(MertConfig config, PreprocessorConfig preprocessor, MertEncoder encoder, Device device,
                      CpuInferenceOptions cpuOptions) {
        this.config = config;
        this.preprocessor = preprocessor;
        this.encoder = encoder;
        this.device = device;
        encoder.eval();
        encoder.to(device, false);
        if (device.is_cuda()) {
            this.embedder = new Embedder(encoder, device, preprocessor.doNormalize());
        } else {
            CpuThreads.singleThreadedBlas(); // process-wide: see CpuThreads for why inference wants it
            useCpuPlan(cpuOptions);
        }
    }

    /**
     * Loads a model folder, or a Hugging Face model id ({@code m-a-p/MERT-v1-95M}, {@code org/name@revision})
     * resolved through the local Hugging Face cache and downloaded into it when missing (see {@link HubModels}),
     * onto the CPU. An existing folder of that name wins over the id.
     */
    public static MertModel load(String folderOrId) {
        return load(folderOrId, "cpu");
    }

    /** Loads a model folder or a Hugging Face model id onto {@code device}. */
    public static MertModel load(String folderOrId, String device) {
        return load(folderOrId, device, CpuInferenceOptions.DEFAULT);
    }

    /** Loads a model folder or a Hugging Face model id; {@code cpu} as for {@link #load(Path, String, CpuInferenceOptions)}. */
    public static MertModel load(String folderOrId, String device, CpuInferenceOptions cpu) {
        return load(locate(folderOrId), device, cpu);
    }

    /**
     * The folder a model folder or Hugging Face model id names on this machine (downloading an id's files into the
     * cache when missing, progress logged through SLF4J), for callers that need the files themselves.
     */
    public static Path locate(String folderOrId) {
        try {
            return HubModels.locate(folderOrId);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Loads a Hugging Face model folder onto the CPU. */
    public static MertModel load(Path dir) {
        return load(dir, "cpu");
    }

    /** Loads a Hugging Face model folder (config.json, preprocessor_config.json, weights) onto {@code device}. */
    public static MertModel load(Path dir, String device) {
        return load(dir, device, CpuInferenceOptions.DEFAULT);
    }

    /**
     * Loads a Hugging Face model folder onto {@code device}; on the CPU, {@code cpu} says which inference
     * paths to build (ignored on a GPU).
     */
    public static MertModel load(Path dir, String device, CpuInferenceOptions cpu) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + ": not a model folder (expected config.json and weights inside)");
        }
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(dir + ": has no config.json");
        }
        MertConfig config = MertConfig.fromJson(configFile);
        PreprocessorConfig pre = readPreprocessor(dir, config);
        Device dev = Devices.parse(device);
        MertEncoder encoder = new MertEncoder(config);
        try (StateDict state = CheckpointFiles.load(dir)) {
            WeightLoader.load(encoder, state.asMap(), dir.toString());
        }
        return new MertModel(config, pre, encoder, dev, cpu);
    }

    /** A randomly initialised model of the given shape (for benchmarks, baselines and tests). */
    public static MertModel random(MertConfig config, long seed, String device) {
        return random(config, seed, device, CpuInferenceOptions.DEFAULT);
    }

    /** A randomly initialised model; {@code cpu} as for {@link #load(Path, String, CpuInferenceOptions)}. */
    public static MertModel random(MertConfig config, long seed, String device, CpuInferenceOptions cpu) {
        torch.manual_seed(seed);
        return new MertModel(config, new PreprocessorConfig(config.sampleRate(), false), new MertEncoder(config),
                Devices.parse(device), cpu);
    }

    private static PreprocessorConfig readPreprocessor(Path dir, MertConfig config) {
        Path file = dir.resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            return new PreprocessorConfig(config.sampleRate(), false);
        }
        PreprocessorConfig p = PreprocessorConfig.fromJson(file);
        if (p.samplingRate() != config.sampleRate()) {
            throw new ConfigException(dir + ": preprocessor_config.json says sampling_rate " + p.samplingRate()
                    + " but config.json says sample_rate " + config.sampleRate());
        }
        return p;
    }

    public MertConfig config() {
        return config;
    }

    public PreprocessorConfig preprocessor() {
        return preprocessor;
    }

    /**
     * The plain encoder holding the weights. On the CPU, inference runs the plan built from it when the
     * model was loaded, so weights changed here are not seen by {@link #embed} (MertModel is for
     * inference; train a {@link MertEncoder} directly).
     */
    public MertEncoder encoder() {
        return encoder;
    }

    /** The CPU inference plan {@link #embed} runs; null on a GPU. */
    CpuEncoder cpuPlan() {
        return cpuPlan;
    }

    public int sampleRate() {
        return config.sampleRate();
    }

    public long parameterCount() {
        return encoder.parameterCount();
    }

    /** Decodes, mixes to mono and resamples an audio file to the model's rate. */
    public float[] loadAudio(Path audio) {
        return loadAudio(audio, warning -> { });
    }

    /** Like {@link #loadAudio(Path)}, telling {@code warnings} if the file is shorter than its header declares. */
    public float[] loadAudio(Path audio, java.util.function.Consumer<String> warnings) {
        FileEmbedder.Decoded d = FileEmbedder.decode(audio, config.sampleRate());
        if (d.warning() != null) {
            warnings.accept(d.warning());
        }
        return d.samples();
    }

    /**
     * The embedding protocol for one recording with {@code options}, running batches on this model
     * ({@link FileEmbedder}): what {@link #embed} uses, for callers that want the length warning and progress.
     */
    public FileEmbedder fileEmbedder(EmbedOptions options) {
        return new FileEmbedder(config, windowEncoder(), options);
    }

    /** This model as the encoder of {@link FileEmbedder}: each batch runs at once, on the caller's thread. */
    public WindowEncoder windowEncoder() {
        // reads the field per batch: quantizeDynamicInt8 may have replaced the embedder since
        return (windows, layers, pool) -> WindowEncoder.of(embedder).submit(windows, layers, pool);
    }

    /** MARBLE-protocol features of an audio file: 5 s windows, time-mean, averaged: [L+1, H]. */
    public FloatArray embed(Path audio) {
        return embed(audio, EmbedOptions.MARBLE);
    }

    /**
     * Features of an audio file. With finite windows the file is streamed ({@link #openWindows}): decoding
     * and resampling run on a background thread while the encoder works, and memory stays flat however
     * long the file is. With {@code windowSeconds <= 0} (one window over the whole file) it is loaded whole.
     * Either way the result is that of {@code embed(loadAudio(audio), sampleRate(), options)}.
     */
    public FloatArray embed(Path audio, EmbedOptions options) {
        return fileEmbedder(options).embed(audio).values();
    }

    /**
     * Starts decoding {@code audio} into the windows of {@code options} on a background thread, a few
     * windows ahead of {@link #embed(WindowSource, EmbedOptions, LongConsumer)}. Close it when done.
     *
     * @throws IllegalArgumentException if {@code options} has no finite window length
     */
    public AudioWindows openWindows(Path audio, EmbedOptions options) {
        return fileEmbedder(options).open(audio);
    }

    /**
     * Features of the windows of one recording at the model's rate, taken one batch at a time:
     * the same result as {@link #embed(float[], int, EmbedOptions)} on the whole recording.
     *
     * @param progress told the samples embedded so far after each batch, or null
     */
    public FloatArray embed(WindowSource windows, EmbedOptions options, LongConsumer progress) {
        return fileEmbedder(options).embed(windows, progress).values();
    }

    /**
     * The encoder on one batch of equal-length windows that the caller cut itself ({@link WindowPlan},
     * {@link #openWindows}): per window the time-means [layers, H] (MEAN) or frames [layers, T, H] (NONE), one
     * window after another, ready for {@link WindowPooling}. For callers that batch windows of several
     * recordings together (the HTTP service); a recording's features are then those of {@link #embed}.
     *
     * @param layers hidden-state indices 0..L, resolved ({@link EmbedOptions#resolveLayers})
     */
    public float[] encodeWindows(java.util.List<float[]> windows, int[] layers, EmbedOptions.Pool pool) {
        return embedder.encodeBatch(windows, layers, pool == EmbedOptions.Pool.MEAN);
    }

    /** Features of mono samples at any rate (resampled to the model's). */
    public FloatArray embed(float[] mono, int sampleRate, EmbedOptions options) {
        return fileEmbedder(options).embed(Resampler.resample(mono, sampleRate, config.sampleRate()));
    }

    /** All hidden states of the whole clip at once: [L+1, T, H]. */
    public FloatArray hiddenStates(float[] mono, int sampleRate) {
        return embed(mono, sampleRate, new EmbedOptions(0, EmbedOptions.Pool.NONE, null, 1));
    }

    /**
     * Switches CPU inference to int8 (FBGEMM dynamic quantisation) for the transformer's Linears and the
     * conv front after its first layer: faster, with pooled embeddings close to fp32 (docs/performance.md
     * gives the measured fidelity). Rebuilds the inference plan, so call it before sharing the model
     * between threads.
     *
     * @throws IllegalStateException on a GPU, where int8 does not run
     */
    public MertModel quantizeDynamicInt8() {
        if (cpuOptions == null) {
            throw new IllegalStateException("int8 inference runs on the CPU only; this model is on " + device.str());
        }
        if (!cpuOptions.int8()) {
            useCpuPlan(cpuOptions.withInt8(true));
        }
        return this;
    }

    private synchronized void useCpuPlan(CpuInferenceOptions options) {
        if (config.hasSpectrogramFront()) {
            // the plan's kernels are those of the conv front and the released shapes: the plain encoder runs
            cpuOptions = options;
            embedder = new Embedder(encoder, device, preprocessor.doNormalize());
            return;
        }
        CpuEncoder previous = cpuPlan;
        cpuPlan = new CpuEncoder(encoder, options);
        cpuOptions = options;
        embedder = new Embedder(cpuPlan, device, preprocessor.doNormalize());
        if (previous != null) {
            previous.close();
        }
    }

    /** Writes this model as a Hugging Face folder that {@link #load} and the Python MERT code read. */
    public void save(Path dir) {
        HuggingFaceFolder.save(encoder, preprocessor, dir);
    }

    @Override
    public synchronized void close() {
        if (cpuPlan != null) {
            cpuPlan.close();
            cpuPlan = null;
        }
        encoder.close();
    }
}
