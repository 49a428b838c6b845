package org.mert4j.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small made-up copies of the datasets MARBLE evaluates on, with the real file names, formats and columns
 * (and a few files missing or extra, as downloads have them), for the importers' tests. Audio is short: tones
 * in {@code .au} and {@code .wav}, and MP3 files cut from a committed MP3 at frame boundaries.
 */
public final class FakeDatasets {
    public static final List<String> NSYNTH_FAMILIES = List.of("bass", "brass", "flute", "guitar", "keyboard",
            "mallet", "organ", "reed", "string", "synth_lead", "vocal");
    public static final List<String> GENRES = List.of("blues", "classical", "country", "disco", "hiphop", "jazz",
            "metal", "pop", "reggae", "rock");

    private FakeDatasets() {}

    /**
     * GTZAN with the clips {@code stems} ({@code blues.00042}), as the original archive
     * ({@code genres/<genre>/<genre>.000NN.au}) or the re-packaging ({@code Data/genres_original/<genre>/*.wav}).
     */
    public static Path gtzan(Path dir, boolean original, List<String> stems, double seconds) throws IOException {
        Path root = original ? dir.resolve("genres") : dir.resolve("Data/genres_original");
        int i = 0;
        for (String g : GENRES) {
            Files.createDirectories(root.resolve(g));
        }
        for (String stem : stems) {
            String genre = stem.substring(0, stem.indexOf('.'));
            Path f = root.resolve(genre).resolve(stem + (original ? ".au" : ".wav"));
            if (original) {
                Au.write(f, seconds, 22050, GENRES.indexOf(genre) * 3L + i++ % 3);
            } else {
                Wav.write(f, seconds, 22050, GENRES.indexOf(genre) * 3L + i++ % 3);
            }
        }
        return dir;
    }

    /** Every GTZAN stem, {@code blues.00000} to {@code rock.00099}. */
    public static List<String> allGtzanStems() {
        List<String> out = new ArrayList<>();
        for (String g : GENRES) {
            for (int n = 0; n < 100; n++) {
                out.add(String.format(Locale.ROOT, "%s.%05d", g, n));
            }
        }
        return out;
    }

    /** GTZAN-Rhythm v2 JAMS files for these stems: a beat every {@code period} s and downbeats every fourth. */
    public static void gtzanBeats(Path dir, List<String> stems, double period, double seconds) throws IOException {
        Path jams = Files.createDirectories(dir.resolve("GTZAN-Rhythm_v2_ismir2015_lbd/jams"));
        for (String stem : stems) {
            StringBuilder beats = new StringBuilder();
            StringBuilder downbeats = new StringBuilder();
            int k = 0;
            for (double t = 0.25; t < seconds; t += period, k++) {
                String obs = String.format(Locale.ROOT, "{\"time\": %.3f, \"duration\": 0.0, \"value\": %d,"
                        + " \"confidence\": 1.0}", t, k % 4 + 1);
                beats.append(beats.length() > 0 ? ", " : "").append(obs);
                if (k % 4 == 0) {
                    downbeats.append(downbeats.length() > 0 ? ", " : "").append(obs);
                }
            }
            Files.writeString(jams.resolve(stem + ".wav.jams"), "{\"annotations\": ["
                    + "{\"namespace\": \"beat\", \"data\": [" + downbeats + "], \"sandbox\": {\"annotation_type\":"
                    + " \"downbeat\"}},"
                    + "{\"namespace\": \"beat\", \"data\": [" + beats + "], \"sandbox\": {\"annotation_type\":"
                    + " \"beat\"}},"
                    + "{\"namespace\": \"tempo\", \"data\": [{\"time\": 0.0, \"duration\": 30.0, \"value\": 120.0,"
                    + " \"confidence\": 1.0}], \"sandbox\": {}}],"
                    + " \"file_metadata\": {\"title\": \"" + stem + "\", \"duration\": " + seconds + "}}");
        }
    }

    /** One NSynth note for {@link #nsynth}: its split, instrument family and MIDI pitch. */
    public record Note(String split, String family, int pitch) {}

    /** NSynth: {@code nsynth-<split>/examples.json} with Magenta's fields, and {@code audio/<note_str>.wav} at 16 kHz. */
    public static Path nsynth(Path dir, List<Note> notes, double seconds) throws IOException {
        int i = 0;
        for (String split : List.of("train", "valid", "test")) {
            Path part = Files.createDirectories(dir.resolve("nsynth-" + split + "/audio"));
            StringBuilder json = new StringBuilder("{");
            for (Note n : notes) {
                if (!n.split().equals(split)) {
                    continue;
                }
                String instrument = String.format(Locale.ROOT, "%s_acoustic_%03d", n.family(), i);
                String noteStr = String.format(Locale.ROOT, "%s-%03d-%03d", instrument, n.pitch(), 100);
                json.append(json.length() > 1 ? ",\n" : "\n").append('"').append(noteStr).append("\": {")
                        .append("\"note\": ").append(1000 + i).append(", \"note_str\": \"").append(noteStr)
                        .append("\", \"instrument\": ").append(i).append(", \"instrument_str\": \"").append(instrument)
                        .append("\", \"pitch\": ").append(n.pitch()).append(", \"velocity\": 100, \"sample_rate\": 16000,")
                        .append(" \"qualities\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], \"qualities_str\": [],")
                        .append(" \"instrument_family\": ").append(NSYNTH_FAMILIES.indexOf(n.family())).append(", \"instrument_family_str\": \"")
                        .append(n.family()).append("\", \"instrument_source\": 0, \"instrument_source_str\": \"acoustic\"}");
                Wav.write(part.resolve(noteStr + ".wav"), seconds, 16000, n.pitch());
                i++;
            }
            Files.writeString(part.getParent().resolve("examples.json"), json.append("\n}\n"));
        }
        return dir;
    }

    /** An MP3 cut from {@code source} (a committed MP3) after {@code frames} MPEG audio frames: a shorter, valid MP3. */
    public static Path mp3(Path source, Path target, int frames) throws IOException {
        byte[] b = Files.readAllBytes(source);
        int at = 0;
        // skip an ID3v2 tag
        if (b.length > 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            at = 10 + ((b[6] & 0x7f) << 21 | (b[7] & 0x7f) << 14 | (b[8] & 0x7f) << 7 | (b[9] & 0x7f));
        }
        int start = at;
        int count = 0;
        while (at + 4 <= b.length && count < frames) {
            int h = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
            int len = frameLength(h);
            if (len <= 0 || at + len > b.length) {
                break;
            }
            at += len;
            count++;
        }
        byte[] out = new byte[at];
        System.arraycopy(b, 0, out, 0, at);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, at > start ? out : b);
        return target;
    }

    /** The byte length of an MPEG-1/2 Layer III frame from its header, or -1 when it is not one. */
    static int frameLength(int h) {
        if ((h & 0xffe00000) != 0xffe00000 || ((h >> 17) & 3) != 1) {
            return -1;
        }
        int version = (h >> 19) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        int bitrateIndex = (h >> 12) & 15;
        int rateIndex = (h >> 10) & 3;
        if (bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 || version == 1) {
            return -1;
        }
        int[] v1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
        int[] v2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
        int[][] rates = {{11025, 12000, 8000}, null, {22050, 24000, 16000}, {44100, 48000, 32000}};
        int bitrate = (version == 3 ? v1 : v2)[bitrateIndex] * 1000;
        int rate = rates[version][rateIndex];
        int padding = (h >> 9) & 1;
        return (version == 3 ? 144 : 72) * bitrate / rate + padding;
    }


    /** Writes a text file in UTF-8, creating its folder. */
    public static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
