package org.mert4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.hadoop.fs.FileSystem;

/**
 * An audio file made readable by FFmpeg on this machine: local paths are used in place, other file
 * systems (HDFS, S3, ...) and in-memory bytes are copied to a temporary file that {@link #close} deletes.
 * One file at a time per task, so disk and memory use stay bounded by the largest file.
 */
final class AudioFetch implements AutoCloseable {
    private final Path local;
    private final boolean temporary;

    private AudioFetch(Path local, boolean temporary) {
        this.local = local;
        this.temporary = temporary;
    }

    Path path() {
        return local;
    }

    static boolean isLocal(String path) {
        URI uri = new org.apache.hadoop.fs.Path(path).toUri();
        return uri.getScheme() == null || uri.getScheme().equals("file");
    }

    static AudioFetch of(String path, HadoopSettings hadoop) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        URI uri = p.toUri();
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            Path local = Path.of(uri.getPath());
            if (!Files.isRegularFile(local)) {
                throw new IOException(path + ": no such file");
            }
            return new AudioFetch(local, false);
        }
        FileSystem fs = p.getFileSystem(hadoop.configuration());
        Path tmp = Files.createTempFile("mert-audio-", suffix(p.getName()));
        try (InputStream in = fs.open(p)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new AudioFetch(tmp, true);
    }

    static AudioFetch ofBytes(byte[] content, String nameHint) throws IOException {
        Path tmp = Files.createTempFile("mert-audio-", suffix(nameHint));
        try {
            Files.write(tmp, content);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new AudioFetch(tmp, true);
    }

    /** The extension, kept so that FFmpeg can use it as a format hint. */
    private static String suffix(String name) {
        if (name == null) {
            return ".audio";
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && name.length() - dot <= 6 ? name.substring(dot) : ".audio";
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(local);
        }
    }
}
