package org.mert4j.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What identifies a model's weights in every output record (the {@code mert-embed.json} of {@code mert embed}
 * and of the Spark job, {@code /v1/info} of {@code mert serve}, the feature cache of {@code mert probe}), so
 * that outputs of different models are never mixed.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    /**
     * A fingerprint of a model folder's contents: SHA-256 of its config files, and of the name, size and
     * 16 evenly spaced 64 KiB blocks of each weight file. Checkpoints of one architecture differ in those
     * blocks, and a copied or moved folder keeps its fingerprint; no weights file is read whole.
     */
    public static String of(Path modelDir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String f : List.of("config.json", "preprocessor_config.json")) {
                Path p = modelDir.resolve(f);
                if (Files.isRegularFile(p)) {
                    sha.update(Files.readAllBytes(p));
                }
            }
            List<Path> weights;
            try (Stream<Path> files = Files.list(modelDir)) {
                weights = files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".safetensors") || n.endsWith(".bin");
                }).sorted().toList();
            }
            byte[] block = new byte[64 * 1024];
            for (Path p : weights) {
                long size = Files.size(p);
                sha.update((p.getFileName() + ":" + size + "\n").getBytes(StandardCharsets.UTF_8));
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
                    for (int i = 0; i < 16; i++) {
                        long at = Math.max(0, (size - block.length) * i / 15);
                        f.seek(at);
                        int n = f.read(block, 0, (int) Math.min(block.length, size - at));
                        if (n > 0) {
                            sha.update(block, 0, n);
                        }
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

    /** The fingerprint of a preset's randomly initialised weights ({@code MertModel.random} with {@code seed}). */
    public static String ofPreset(String preset, long seed) {
        return "preset:" + preset + "-seed" + seed;
    }
}
