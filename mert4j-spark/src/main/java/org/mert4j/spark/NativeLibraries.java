package org.mert4j.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.NativeLibraryCache;

/**
 * Loads libtorch's and FFmpeg's native libraries in this JVM, one executor JVM of the machine at a time.
 * JavaCPP unpacks the natives from the application jar into a cache folder that every executor on a
 * machine shares ({@code ~/.javacpp/cache}, one file per library, the same files as the command line's:
 * {@link NativeLibraryCache}); two executors starting together could unpack the same library while the
 * other one maps it, and the second dies in the dynamic loader (SIGBUS, exit code 134). A file lock next
 * to the cache makes the first executor unpack and the others wait, then load the unpacked files.
 */
final class NativeLibraries {
    private static volatile boolean loaded;

    private NativeLibraries() {
    }

    static void load() {
        if (loaded) {
            return;
        }
        synchronized (NativeLibraries.class) {
            if (loaded) {
                return;
            }
            NativeLibraryCache.shareAcrossJars();
            File cache;
            try {
                cache = Loader.getCacheDir();
            } catch (IOException e) {
                throw new UncheckedIOException("JavaCPP's cache folder for native libraries: " + e.getMessage(), e);
            }
            File lockFile = new File(cache, ".mert4j-spark.lock");
            try (FileChannel ch = FileChannel.open(lockFile.toPath(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = ch.lock()) {
                for (Class<?> c : new Class<?>[] {torch.class, avutil.class, avcodec.class, avformat.class,
                    swresample.class}) {
                    Loader.load(c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(lockFile + ": cannot lock it to load the native libraries: "
                        + e.getMessage(), e);
            }
            loaded = true;
        }
    }
}
