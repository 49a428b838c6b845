package org.mert4j.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sound.midi.MidiSystem;

import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Waveform;

/**
 * Renders MIDI with the fluidsynth program and a General MIDI SoundFont (Debian packages {@code fluidsynth}
 * and {@code timgm6mb-soundfont} or {@code fluid-soundfont-gm}), reverb and chorus off so that clips cut from
 * one rendering do not bleed into each other.
 */
public final class SoundFontRenderer {
    public static final String INSTALL_HINT = "install the Debian packages fluidsynth and a General MIDI SoundFont:"
            + " sudo apt-get install -y fluidsynth timgm6mb-soundfont";
    /** Preferred first: the small TimGM6mb renders fastest. */
    private static final List<String> SOUNDFONTS = List.of("/usr/share/sounds/sf2/TimGM6mb.sf2",
            "/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/default-GM.sf2",
            "/usr/share/sounds/sf3/default-GM.sf3", "/usr/share/soundfonts/default.sf2");

    private final Path fluidsynth;
    private final Path soundFont;
    private final int sampleRate;

    public SoundFontRenderer(Path fluidsynth, Path soundFont, int sampleRate) {
        this.fluidsynth = fluidsynth;
        this.soundFont = soundFont;
        this.sampleRate = sampleRate;
    }

    /**
     * Finds fluidsynth on the PATH and a SoundFont ({@code soundFont} if not null, else the Debian locations).
     *
     * @throws SynthesizerMissingException naming the packages to install
     */
    public static SoundFontRenderer find(Path soundFont, int sampleRate) {
        Path exe = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "fluidsynth");
            if (Files.isExecutable(p)) {
                exe = p;
                break;
            }
        }
        if (exe == null) {
            throw new SynthesizerMissingException("fluidsynth is not installed: " + INSTALL_HINT);
        }
        if (soundFont != null) {
            if (!Files.isRegularFile(soundFont)) {
                throw new SynthesizerMissingException(soundFont + ": SoundFont not found");
            }
            return new SoundFontRenderer(exe, soundFont, sampleRate);
        }
        for (String s : SOUNDFONTS) {
            if (Files.isRegularFile(Path.of(s))) {
                return new SoundFontRenderer(exe, Path.of(s), sampleRate);
            }
        }
        throw new SynthesizerMissingException("no General MIDI SoundFont found in /usr/share/sounds/sf2: "
                + INSTALL_HINT);
    }

    public Path soundFont() {
        return soundFont;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Writes the timeline as a standard MIDI file, renders it and returns mono samples at {@link #sampleRate}. */
    public float[] render(MidiTimeline timeline, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path mid = Files.createTempFile(workDir, "render", ".mid");
        Path wav = mid.resolveSibling(mid.getFileName().toString().replace(".mid", ".wav"));
        try {
            MidiSystem.write(timeline.sequence(), 1, mid.toFile());
            List<String> cmd = new ArrayList<>(List.of(fluidsynth.toString(), "-ni", "-q", "-R", "0", "-C", "0",
                    "-g", "0.5", "-r", Integer.toString(sampleRate), "-T", "wav", "-F", wav.toString(),
                    soundFont.toString(), mid.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = readAll(p.getInputStream());
            boolean done = p.waitFor(10, TimeUnit.MINUTES);
            if (!done || p.exitValue() != 0 || !Files.isRegularFile(wav)) {
                p.destroyForcibly();
                throw new IOException("fluidsynth failed on " + mid.getFileName() + ": " + log.strip());
            }
            Waveform w = AudioDecoder.decode(wav);
            if (w.sampleRate() != sampleRate) {
                throw new IOException("fluidsynth wrote " + w.sampleRate() + " Hz, asked for " + sampleRate);
            }
            return w.mono();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering " + mid, e);
        } finally {
            Files.deleteIfExists(mid);
            Files.deleteIfExists(wav);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
