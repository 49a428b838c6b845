package org.mert4j.teacher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.audio.Resampler;
import org.mert4j.io.AtomicFiles;

/**
 * A list of training audio files in fairseq's manifest format (what HuBERT and MERT read):
 * <pre>
 * /data/music                     first line: the root folder the paths are relative to
 * rock/song1.flac&lt;TAB&gt;2880000      then one row per file: path, TAB, length in samples
 * </pre>
 * Lengths count samples after decoding, mixing to mono and resampling to the manifest's sample rate (the
 * rate the model reads), so a row's frame count at the encoder is fixed by its length alone. fairseq
 * keeps that rate in its training config; mert4j stores it next to the manifest in a sidecar
 * {@code <manifest>.json}: {@code {"sample_rate": 24000, "rows": N}}. Label files ({@link LabelSet}) have one
 * line per manifest row, in the same order.
 */
public final class Manifest {
    /** One audio file: its path relative to the root (with '/' separators) and its length in samples. */
    public record Entry(String path, long numSamples) {
        public Entry {
            if (path.isEmpty() || path.indexOf('\t') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("manifest path must be non-empty, without tabs or line breaks: '"
                        + path + "'");
            }
            if (numSamples < 0) {
                throw new IllegalArgumentException("negative length " + numSamples + " for " + path);
            }
        }
    }

    /** A train/valid split of one manifest. */
    public record Split(Manifest train, Manifest valid) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Long, Resampler> RESAMPLERS = new ConcurrentHashMap<>();

    private final Path root;
    private final int sampleRate;
    private final List<Entry> entries;

    public Manifest(Path root, int sampleRate, List<Entry> entries) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.root = root;
        this.sampleRate = sampleRate;
        this.entries = List.copyOf(entries);
    }

    /** The sidecar file holding the sample rate of {@code manifest}: {@code <manifest file name>.json}. */
    public static Path sidecar(Path manifest) {
        return manifest.resolveSibling(manifest.getFileName() + ".json");
    }

    /** Reads a manifest and its sidecar; a manifest without a sidecar is refused (its rate is unknown). */
    public static Manifest read(Path file) {
        return read(file, 0);
    }

    /**
     * Reads a manifest; without a sidecar its rate is taken to be {@code assumedRate} (e.g. 16000 for a
     * manifest made by fairseq's wav2vec_manifest.py), and 0 there refuses it.
     */
    public static Manifest read(Path file, int assumedRate) {
        int rate = readRate(file, assumedRate);
        List<Entry> entries = new ArrayList<>();
        Path root;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first == null || first.isBlank()) {
                throw new ManifestException(file + ": empty manifest (expected the root folder on line 1)");
            }
            if (first.indexOf('\t') >= 0) {
                throw new ManifestException(file + ": line 1 must be the root folder, found a row with a tab: '"
                        + first + "'");
            }
            root = Path.of(first.strip());
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                entries.add(parseRow(file, lineNo, line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read manifest: " + e.getMessage(), e);
        }
        return new Manifest(root, rate, entries);
    }

    /**
     * The audio files a manifest lists, read leniently, as for training a teacher: line 1 the root folder
     * (relative to the manifest's folder unless absolute), then one path per line, which a TAB and a sample
     * count may follow. No sidecar is needed and lengths are not checked, so any fairseq-style list will do.
     *
     * @throws ManifestException when the file is missing or empty
     */
    public static List<Path> readPaths(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ManifestException("manifest not found: " + file);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new ManifestException(file + ": empty manifest; expected a root folder on the first line");
        }
        Path root = Path.of(lines.get(0).strip());
        if (!root.isAbsolute() && file.toAbsolutePath().getParent() != null) {
            root = file.toAbsolutePath().getParent().resolve(root);
        }
        List<Path> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String rel = line.split("\t", 2)[0].strip();
            if (!rel.isEmpty()) {
                out.add(root.resolve(rel));
            }
        }
        return out;
    }

    private static Entry parseRow(Path file, int lineNo, String line) {
        int tab = line.lastIndexOf('\t');
        if (tab <= 0) {
            throw new ManifestException(file + ":" + lineNo + ": expected 'path<TAB>num_samples', found '" + line + "'");
        }
        String path = line.substring(0, tab);
        String count = line.substring(tab + 1).strip();
        long n;
        try {
            n = Long.parseLong(count);
        } catch (NumberFormatException e) {
            throw new ManifestException(file + ":" + lineNo + ": num_samples '" + count + "' is not an integer");
        }
        if (n < 0 || path.indexOf('\t') >= 0) {
            throw new ManifestException(file + ":" + lineNo + ": expected 'path<TAB>num_samples' with a"
                    + " non-negative count, found '" + line + "'");
        }
        return new Entry(path, n);
    }

    private static int readRate(Path file, int assumedRate) {
        Path side = sidecar(file);
        if (!Files.isRegularFile(side)) {
            if (assumedRate > 0) {
                return assumedRate;
            }
            throw new ManifestException(file + ": no " + side.getFileName() + " next to it giving the sample rate"
                    + " of its lengths; write {\"sample_rate\": 24000} (or 16000, ...) there");
        }
        try {
            JsonNode n = JSON.readTree(side.toFile());
            JsonNode sr = n == null ? null : n.get("sample_rate");
            if (sr == null || !sr.canConvertToInt() || sr.asInt() < 1) {
                throw new ManifestException(side + ": expected {\"sample_rate\": N} with N > 0, found " + n);
            }
            if (assumedRate > 0 && sr.asInt() != assumedRate) {
                throw new ManifestException(side + ": sample_rate " + sr.asInt() + " but " + assumedRate
                        + " was expected");
            }
            return sr.asInt();
        } catch (IOException e) {
            throw new ManifestException(side + ": not valid JSON: " + e.getMessage());
        }
    }

    /** Writes the manifest and its sidecar, each atomically. */
    public void write(Path file) throws IOException {
        StringBuilder s = new StringBuilder(root.toString()).append('\n');
        for (Entry e : entries) {
            s.append(e.path()).append('\t').append(e.numSamples()).append('\n');
        }
        byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(body));
        ObjectNode side = JSON.createObjectNode().put("sample_rate", sampleRate).put("rows", entries.size());
        AtomicFiles.write(sidecar(file), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, side));
    }

    /**
     * Splits off a random {@code validPercent} of the rows (rounded, at least one row when the percent is
     * positive and there are two rows or more); both parts keep the original order.
     */
    public Split split(double validPercent, long seed) {
        if (!(validPercent >= 0 && validPercent < 100)) {
            throw new IllegalArgumentException("valid percent must be in [0, 100), got " + validPercent);
        }
        int n = entries.size();
        int nValid = (int) Math.round(n * validPercent / 100.0);
        if (validPercent > 0 && nValid == 0 && n >= 2) {
            nValid = 1;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        boolean[] valid = new boolean[n];
        for (int i = 0; i < nValid; i++) {
            valid[order.get(i)] = true;
        }
        List<Entry> tr = new ArrayList<>();
        List<Entry> va = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (valid[i] ? va : tr).add(entries.get(i));
        }
        return new Split(new Manifest(root, sampleRate, tr), new Manifest(root, sampleRate, va));
    }

    /** The length in samples at {@code toRate} of {@code n} samples at {@code fromRate}, as the resampler makes it. */
    public static long samplesAt(long n, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return n;
        }
        Resampler r = RESAMPLERS.computeIfAbsent(((long) fromRate << 32) | toRate, k -> new Resampler(fromRate, toRate));
        return r.outputLength(n);
    }

    public Path root() {
        return root;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public Entry get(int row) {
        return entries.get(row);
    }

    /** The audio file of a row: the root joined with its relative path. */
    public Path file(int row) {
        return root.resolve(entries.get(row).path());
    }

    /**
     * SHA-256 (hex) of the rows and their sample rate, not of the root folder: label folders record it, so
     * labels are only ever continued or read against the rows they were computed from.
     */
    public String rowsSha256() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(("sample_rate " + sampleRate + "\n").getBytes(StandardCharsets.UTF_8));
            for (Entry e : entries) {
                sha.update((e.path() + "\t" + e.numSamples() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Total length in seconds. */
    public double totalSeconds() {
        long total = 0;
        for (Entry e : entries) {
            total += e.numSamples();
        }
        return total / (double) sampleRate;
    }
}
