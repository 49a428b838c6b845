package org.mert4j.teacher.encodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.CheckpointException;
import org.mert4j.io.CheckpointFiles;
import org.mert4j.io.StateDict;
import org.mert4j.teacher.rvq.CodeTeacher;
import org.mert4j.teacher.rvq.ResidualVq;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.Tensors;

/**
 * The encoder and residual vector quantiser of an EnCodec checkpoint in Hugging Face layout
 * (facebook/encodec_24khz: config.json + model.safetensors or pytorch_model.bin), for inference.
 * {@link #codes(float[])} gives MERT-v1's acoustic targets: 8 codebooks of 1024 codes at 75 Hz (6 kbps).
 * Whole clips are encoded at once, as transformers does when {@code chunk_length_s} is null.
 * Safe to call from several threads: inference only reads the weights.
 */
public final class EncodecModel implements CodeTeacher {
    /** MERT-v1's bandwidth: 8 codebooks for the 24 kHz model. */
    public static final double MERT_BANDWIDTH_KBPS = 6.0;

    private final EncodecConfig config;
    private final Device device;
    private final EncodecEncoder encoder;
    private final List<Tensor> codebooks;
    private final int quantizers;

    private EncodecModel(EncodecConfig config, EncodecWeights w, Device device, double kbps) {
        if (config.chunkLengthS() != null) {
            throw new IllegalArgumentException("chunked EnCodec models (chunk_length_s = " + config.chunkLengthS()
                    + ", the 48 kHz layout) are not supported; use a 24 kHz model with chunk_length_s null");
        }
        if (config.audioChannels() != 1) {
            throw new IllegalArgumentException("only mono EnCodec models are supported, config has audio_channels "
                    + config.audioChannels());
        }
        this.config = config;
        this.device = device;
        this.quantizers = config.quantizersFor(kbps);
        this.encoder = new EncodecEncoder(config, w);
        List<Tensor> books = new ArrayList<>();
        for (int k = 0; k < quantizers; k++) {
            books.add(w.take("quantizer.layers." + k + ".codebook.embed", config.codebookSize(), config.codebookDim()));
        }
        this.codebooks = Collections.unmodifiableList(books);
        if (config.codebookDim() != config.hiddenSize()) {
            throw new IllegalArgumentException("codebook_dim " + config.codebookDim() + " differs from hidden_size "
                    + config.hiddenSize() + ": EnCodec without a projection needs them equal");
        }
    }

    /** Loads a model folder onto the CPU, 6 kbps. */
    public static EncodecModel load(Path dir) {
        return load(dir, "cpu", MERT_BANDWIDTH_KBPS);
    }

    /** Loads a model folder onto {@code device} ("cpu", "cuda", "cuda:1") for the given bandwidth in kbps. */
    public static EncodecModel load(Path dir, String device, double kbps) {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(dir + ": has no config.json; expected an EnCodec model folder");
        }
        EncodecConfig config = EncodecConfig.fromJson(configFile);
        Device dev = Devices.parse(device);
        try (StateDict state = CheckpointFiles.load(dir)) {
            EncodecWeights w = new EncodecWeights(state.asMap(), dev, dir.toString());
            EncodecModel model = new EncodecModel(config, w, dev, kbps);
            // codebooks past the bandwidth's and the decoder are not read; an unused encoder tensor means a config mismatch
            w.checkAllUsed("encoder.");
            return model;
        }
    }

    /** Random weights of the given shape (for throughput measurements); codes carry no meaning. */
    public static EncodecModel random(EncodecConfig config, long seed, String device) {
        torch.manual_seed(seed);
        Device dev = Devices.parse(device);
        return new EncodecModel(config, EncodecWeights.random(dev), dev, MERT_BANDWIDTH_KBPS);
    }

    public EncodecConfig config() {
        return config;
    }

    /** Encoder output (the continuous latent) of audio [B, 1, N]: [B, hidden, ceil(N / hop)]. */
    public Tensor latent(Tensor audio) {
        checkInput(audio);
        Tensor x = audio.to(device, torch.ScalarType.Float);
        if (config.normalize()) {
            // transformers: divide by the RMS of the channel mean, plus 1e-8
            Tensor mono = x.sum(new long[] {1}, true, new ScalarTypeOptional()).div(
                    new Scalar((double) x.size(1)));
            Tensor scale = mono.pow(new Scalar(2)).mean(new long[] {-1}, true,
                    new ScalarTypeOptional()).sqrt().add(new Scalar(1e-8));
            x = x.div(scale);
        }
        return encoder.forward(x);
    }

    /** Codes of audio [B, 1, N]: int64 [B, K, ceil(N / hop)] (on the model's device). */
    public Tensor encode(Tensor audio) {
        return ResidualVq.encode(latent(audio), codebooks);
    }

    @Override
    public int[][] codes(float[] mono) {
        if (mono.length == 0) {
            throw new IllegalArgumentException("cannot encode an empty clip: EnCodec needs at least 1 sample");
        }
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor codes = encode(Tensors.fromFloats(mono, 1, 1, mono.length)).select(0, 0);
            return Tensors.toIntRows(codes);
        }
    }

    private void checkInput(Tensor audio) {
        if (audio.dim() != 3 || audio.size(1) != config.audioChannels() || audio.size(2) < 1) {
            throw new IllegalArgumentException("EnCodec input must be [batch, " + config.audioChannels()
                    + ", samples >= 1], got " + Tensors.shapeString(audio));
        }
    }

    @Override
    public int numCodebooks() {
        return quantizers;
    }

    @Override
    public int codebookSize() {
        return config.codebookSize();
    }

    @Override
    public double frameRate() {
        return (double) config.samplingRate() / config.hopLength();
    }

    @Override
    public int sampleRate() {
        return config.samplingRate();
    }

    @Override
    public int hopLength() {
        return config.hopLength();
    }

    @Override
    public void close() {
        // weights are released with their Java references; nothing else is held
    }
}
