package org.mert4j.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;

/** MERT hidden states 0..L: time-mean per window, or every frame for beat tracking. */
public final class MertFeatures implements FeatureExtractor {
    private static final EmbedOptions WHOLE = new EmbedOptions(0, EmbedOptions.Pool.MEAN, null, 1);
    private final MertModel model;
    private final String name;
    private final String fingerprint;

    public MertFeatures(MertModel model, String name, String fingerprint) {
        this.model = model;
        this.name = name;
        this.fingerprint = fingerprint;
    }

    /**
     * A fingerprint of a model folder: SHA-256 of config.json and preprocessor_config.json plus the name, size and
     * modification time of every weight file (hashing gigabytes of weights on every run would be slow).
     */
    public static String fingerprint(Path modelDir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String f : List.of("config.json", "preprocessor_config.json")) {
                Path p = modelDir.resolve(f);
                if (Files.isRegularFile(p)) {
                    sha.update(Files.readAllBytes(p));
                }
            }
            try (Stream<Path> files = Files.list(modelDir)) {
                for (Path p : files.sorted().toList()) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pt")) {
                        sha.update((n + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis())
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(modelDir + ": cannot read the model folder to fingerprint it", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public MertModel model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int layers() {
        return model.config().numHiddenStates();
    }

    @Override
    public int dim() {
        return model.config().transformer().hiddenSize();
    }

    @Override
    public FloatArray pooled(float[] mono, int sampleRate) {
        return model.embed(mono, sampleRate, WHOLE);
    }

    @Override
    public FloatArray frames(float[] mono, int sampleRate) {
        return model.hiddenStates(mono, sampleRate);
    }

    @Override
    public double frameRate() {
        return (double) model.sampleRate() / model.config().totalStride();
    }

    @Override
    public void close() {
        model.close();
    }
}
