package org.mert4j.teacher;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A label folder opened against its manifest: {@value LabelSetInfo#FILE_NAME} plus one {@code <stream>.km}
 * per stream. Opening checks everything once, streaming through the files (nothing is kept but line
 * offsets): every stream has exactly one line per manifest row; every labelled row has, in every stream,
 * the same number of frames, within {@link LabelSetInfo#FRAME_TOLERANCE} of the encoder's count for the
 * row's length; every label is in [0, classes). Rows marked {@code #FAILED} in any stream are missing:
 * {@link #missing()} lists them and {@link #labels} refuses them, so rows never shift.
 * {@link #labels} reads a row from disk when asked.
 */
public final class LabelSet implements AutoCloseable {
    private final Path dir;
    private final LabelSetInfo info;
    private final Manifest manifest;
    private final FileChannel[] files;
    private final long[][] offsets; // [stream][row + 1]: byte offset of each line start, then the end
    private final Map<Integer, String> missing;

    private LabelSet(Path dir, LabelSetInfo info, Manifest manifest, FileChannel[] files, long[][] offsets,
                     Map<Integer, String> missing) {
        this.dir = dir;
        this.info = info;
        this.manifest = manifest;
        this.files = files;
        this.offsets = offsets;
        this.missing = Collections.unmodifiableMap(missing);
    }

    /** Opens and checks a label folder against the manifest its rows belong to. */
    public static LabelSet open(Path dir, Manifest manifest) {
        LabelSetInfo info = LabelSetInfo.read(dir);
        Path infoFile = dir.resolve(LabelSetInfo.FILE_NAME);
        if (info.rows() != manifest.size()) {
            throw new LabelFormatException(infoFile + ": labels " + info.rows() + " rows but the manifest ("
                    + info.manifest() + ") has " + manifest.size());
        }
        if (info.manifestSha256() != null && !info.manifestSha256().equals(manifest.rowsSha256())) {
            throw new LabelFormatException(infoFile + ": these labels were computed from other manifest rows than"
                    + " those of the manifest given (" + info.manifest() + " rows hash "
                    + info.manifestSha256().substring(0, 12) + "..., the given manifest's rows hash "
                    + manifest.rowsSha256().substring(0, 12) + "...): the manifest changed since; label it again");
        }
        if (info.sampleRate() != manifest.sampleRate()) {
            throw new LabelFormatException(infoFile + ": labels are for sample rate " + info.sampleRate()
                    + " but the manifest's lengths are at " + manifest.sampleRate());
        }
        int s = info.streams().size();
        FileChannel[] files = new FileChannel[s];
        long[][] offsets = new long[s][];
        int[][] frames = new int[s][];
        Map<Integer, String> missing = new TreeMap<>();
        try {
            for (int i = 0; i < s; i++) {
                LabelStream stream = info.streams().get(i);
                Path file = dir.resolve(stream.fileName());
                if (!Files.isRegularFile(file)) {
                    throw new LabelFormatException(file + ": missing (listed as a stream in " + infoFile + ")");
                }
                files[i] = FileChannel.open(file, StandardOpenOption.READ);
                offsets[i] = new long[manifest.size() + 1];
                frames[i] = scan(file, stream, manifest, offsets[i], missing);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(dir + ": cannot read labels: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        for (int r = 0; r < manifest.size(); r++) {
            if (missing.containsKey(r)) {
                continue;
            }
            for (int i = 1; i < s; i++) {
                if (frames[i][r] != frames[0][r]) {
                    closeAll(files);
                    throw new LabelFormatException(dir + ": line " + (r + 1) + " (" + manifest.get(r).path()
                            + ") has " + frames[0][r] + " frames in " + info.streams().get(0).fileName() + " but "
                            + frames[i][r] + " in " + info.streams().get(i).fileName());
                }
            }
        }
        return new LabelSet(dir, info, manifest, files, offsets, missing);
    }

    /** Checks every line of one stream file; fills the line offsets; returns the frame count per row. */
    private static int[] scan(Path file, LabelStream stream, Manifest manifest, long[] offsets,
                              Map<Integer, String> missing) throws IOException {
        int rows = manifest.size();
        int[] frames = new int[rows];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            LineReader lines = new LineReader(in);
            long pos = 0;
            for (int r = 0; r < rows; r++) {
                offsets[r] = pos;
                String text = lines.next();
                if (text == null) {
                    throw new LabelFormatException(file + ": has " + r + " lines but the manifest has " + rows
                            + " rows (labels stop before " + manifest.get(r).path() + ")");
                }
                pos += lines.lastByteLength();
                if (!lines.lastEndedWithNewline()) {
                    throw new LabelFormatException(file + ": line " + (r + 1) + " has no line break (an"
                            + " interrupted run? rerun mert labels to finish it)");
                }
                LabelFile.Line line;
                try {
                    line = LabelFile.parse(text);
                } catch (NumberFormatException e) {
                    throw new LabelFormatException(file + ": line " + (r + 1) + " (" + manifest.get(r).path()
                            + "): " + e.getMessage());
                }
                if (line.isFailed()) {
                    missing.putIfAbsent(r, line.failure());
                    continue;
                }
                int[] l = line.labels();
                frames[r] = l.length;
                long n = manifest.get(r).numSamples();
                long want = LabelSetInfo.encoderFrames(n);
                if (Math.abs(l.length - want) > LabelSetInfo.FRAME_TOLERANCE) {
                    throw new LabelFormatException(file + ": line " + (r + 1) + " (" + manifest.get(r).path()
                            + ") has " + l.length + " labels but " + n + " samples give " + want
                            + " encoder frames (tolerance " + LabelSetInfo.FRAME_TOLERANCE + ")");
                }
                for (int t = 0; t < l.length; t++) {
                    if (l[t] >= stream.classes()) {
                        throw new LabelFormatException(file + ": line " + (r + 1) + " (" + manifest.get(r).path()
                                + "): label " + l[t] + " at frame " + t + " is outside [0, " + stream.classes() + ")");
                    }
                }
            }
            offsets[rows] = pos;
            if (lines.next() != null) {
                throw new LabelFormatException(file + ": has more lines than the manifest's " + rows + " rows");
            }
        }
        return frames;
    }

    public LabelSetInfo info() {
        return info;
    }

    public Manifest manifest() {
        return manifest;
    }

    public int rows() {
        return manifest.size();
    }

    public List<LabelStream> streams() {
        return info.streams();
    }

    /** Rows without labels (0-based manifest row → the teacher's reason), in row order. */
    public Map<Integer, String> missing() {
        return missing;
    }

    public boolean isMissing(int row) {
        return missing.containsKey(row);
    }

    /** The labels of a row, [streams][frames]; refuses a missing row with its reason. */
    public int[][] labels(int row) {
        if (row < 0 || row >= rows()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows());
        }
        if (missing.containsKey(row)) {
            throw new LabelFormatException(dir + ": row " + row + " (" + manifest.get(row).path()
                    + ") has no labels: " + missing.get(row));
        }
        int[][] out = new int[files.length][];
        for (int s = 0; s < files.length; s++) {
            int len = (int) (offsets[s][row + 1] - offsets[s][row] - 1); // without the line break
            ByteBuffer b = ByteBuffer.allocate(len);
            try {
                while (b.hasRemaining()) {
                    if (files[s].read(b, offsets[s][row] + b.position()) < 0) {
                        throw new LabelFormatException(dir.resolve(info.streams().get(s).fileName())
                                + ": shorter than when it was opened");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out[s] = LabelFile.parse(new String(b.array(), StandardCharsets.US_ASCII)).labels();
        }
        return out;
    }

    /** Indices of the rows that have labels. */
    public List<Integer> labelledRows() {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < rows(); r++) {
            if (!missing.containsKey(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closeAll(files);
    }

    private static void closeAll(FileChannel[] files) {
        for (FileChannel f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // read-only: nothing to lose
                }
            }
        }
    }

    /** Lines of ASCII text with their byte lengths (readLine hides whether the last line had a break). */
    private static final class LineReader {
        private final InputStream in;
        private final StringBuilder sb = new StringBuilder();
        private long lastBytes;
        private boolean lastNewline;

        LineReader(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            sb.setLength(0);
            long bytes = 0;
            int b;
            while ((b = in.read()) >= 0) {
                bytes++;
                if (b == '\n') {
                    lastBytes = bytes;
                    lastNewline = true;
                    return sb.toString();
                }
                sb.append((char) b);
            }
            if (bytes == 0) {
                return null;
            }
            lastBytes = bytes;
            lastNewline = false;
            return sb.toString();
        }

        long lastByteLength() {
            return lastBytes;
        }

        boolean lastEndedWithNewline() {
            return lastNewline;
        }
    }
}
