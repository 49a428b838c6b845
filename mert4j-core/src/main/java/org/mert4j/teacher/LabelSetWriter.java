package org.mert4j.teacher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends rows to a label folder, one manifest row at a time in manifest order, so that an interrupted
 * run can be continued: {@link #open} finds how many rows every stream holds complete, cuts all streams
 * back to that (a half-written last line, or a row one stream has and another has not, is dropped), and
 * {@link #nextRow} says where to go on. Each row is flushed to the files as soon as it is written.
 */
public final class LabelSetWriter implements AutoCloseable {
    private final Path dir;
    private final LabelSetInfo info;
    private final FileChannel[] channels;
    private final OutputStream[] outs;
    private int nextRow;

    private LabelSetWriter(Path dir, LabelSetInfo info, FileChannel[] channels, int nextRow) {
        this.dir = dir;
        this.info = info;
        this.channels = channels;
        this.outs = new OutputStream[channels.length];
        for (int i = 0; i < channels.length; i++) {
            outs[i] = Channels.newOutputStream(channels[i]);
        }
        this.nextRow = nextRow;
    }

    /**
     * Opens {@code dir} for writing the label set {@code info}. With {@code restart} false, rows already
     * there are kept if the folder's {@value LabelSetInfo#FILE_NAME} describes the same output (else an
     * error says what differs); with {@code restart} true the streams start empty.
     */
    public static LabelSetWriter open(Path dir, LabelSetInfo info, boolean restart) throws IOException {
        Files.createDirectories(dir);
        boolean resume = !restart && Files.isRegularFile(dir.resolve(LabelSetInfo.FILE_NAME));
        if (resume) {
            LabelSetInfo old = LabelSetInfo.read(dir);
            List<String> differences = old.differences(info);
            if (!differences.isEmpty()) {
                throw new LabelFormatException(dir.resolve(LabelSetInfo.FILE_NAME) + ": this folder holds labels"
                        + " of another run (" + String.join("; ", differences) + "), not those asked for now;"
                        + " give another --out, or --overwrite to start the labels again");
            }
        }
        info.write(dir);
        List<LabelStream> streams = info.streams();
        long complete = info.rows();
        for (LabelStream s : streams) {
            Path f = dir.resolve(s.fileName());
            if (!resume) {
                Files.deleteIfExists(f);
            }
            complete = Math.min(complete, LabelFile.truncateToCompleteLines(f, info.rows()));
        }
        FileChannel[] channels = new FileChannel[streams.size()];
        try {
            for (int i = 0; i < streams.size(); i++) {
                Path f = dir.resolve(streams.get(i).fileName());
                LabelFile.truncateToCompleteLines(f, complete); // streams that got ahead of the others
                channels[i] = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
        } catch (IOException | RuntimeException e) {
            for (FileChannel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        return new LabelSetWriter(dir, info, channels, (int) complete);
    }

    /** The manifest row the next {@link #write} is for; equals the row count when everything is written. */
    public int nextRow() {
        return nextRow;
    }

    public boolean isComplete() {
        return nextRow >= info.rows();
    }

    public LabelSetInfo info() {
        return info;
    }

    /** Writes the labels of the next row, [streams][frames]; checks the stream count, equal lengths and ranges. */
    public void write(int[][] labels) throws IOException {
        checkOpenRow();
        if (labels.length != channels.length) {
            throw new IllegalArgumentException("row " + nextRow + ": " + labels.length + " label streams, this set"
                    + " has " + channels.length);
        }
        for (int s = 0; s < labels.length; s++) {
            int classes = info.streams().get(s).classes();
            if (labels[s].length != labels[0].length) {
                throw new IllegalArgumentException("row " + nextRow + ": stream " + info.streams().get(s).name()
                        + " has " + labels[s].length + " frames, stream " + info.streams().get(0).name() + " has "
                        + labels[0].length);
            }
            for (int v : labels[s]) {
                if (v < 0 || v >= classes) {
                    throw new IllegalArgumentException("row " + nextRow + ": label " + v + " of stream "
                            + info.streams().get(s).name() + " outside [0, " + classes + ")");
                }
            }
        }
        for (int s = 0; s < labels.length; s++) {
            append(s, LabelFile.format(LabelFile.Line.of(labels[s])));
        }
        nextRow++;
    }

    /** Marks the next row as one the teacher could not label. */
    public void writeFailed(String reason) throws IOException {
        checkOpenRow();
        for (int s = 0; s < channels.length; s++) {
            append(s, LabelFile.format(LabelFile.Line.failed(reason)));
        }
        nextRow++;
    }

    private void append(int stream, String line) throws IOException {
        outs[stream].write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void checkOpenRow() {
        if (nextRow >= info.rows()) {
            throw new IllegalStateException(dir + ": all " + info.rows() + " rows are written");
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel c : channels) {
            try {
                c.force(true);
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
