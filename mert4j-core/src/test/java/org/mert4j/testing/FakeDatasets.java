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
    /** GiantSteps key (test) and GiantSteps MTG key (train/valid) as their repositories ship them. */
    public static Path giantSteps(Path dir, Path mp3Source) throws IOException {
        Path test = dir.resolve("giantsteps-key-dataset-master");
        int frames = 20;
        for (String[] t : new String[][] {{"1000", "C minor"}, {"1001", "Eb minor"}, {"1002", "F# major"}}) {
            text(test.resolve("annotations/key/" + t[0] + ".LOFI.key"), t[1]);
            text(test.resolve("annotations/genre/" + t[0] + ".LOFI.genre"), "house");
            text(test.resolve("md5/" + t[0] + ".LOFI.md5"), "0123456789abcdef0123456789abcdef");
            mp3(mp3Source, test.resolve("audio/" + t[0] + ".LOFI.mp3"), frames++);
        }
        Path mtg = dir.resolve("giantsteps-mtg-key-dataset-master");
        text(mtg.resolve("annotations/annotations.txt"), "ID\tMANUAL KEY\tC\n"
                + "101\tD# minor\t2\n102\tA major\t2\n103\tF minor\t2\n104\tD minor\t2\t\n105\tG major\t2\n"
                + "106\tC major\t1\n107\tA minor / C major\t2\n");
        text(mtg.resolve("annotations/beatport_metadata.txt"), "ID\tARTIST\tSONG TITLE\tMIX\tLABEL\t"
                + "BP GENRE\tBP BPM\tBP KEY\n"
                + "101\tArtist 1, Artist 0\tOne\tOriginal Mix\tL\tTrance\t132\tD# major\n"
                + "102\tArtist 1\tTwo\tOriginal Mix\tL\tTrance\t130\tA major\n"
                + "103\tArtist 28\tThree\tOriginal Mix\tL\tTechno\t128\tF minor\n"
                + "104\tArtist 3\tFour\tOriginal Mix\tL\tTechno\t128\tD minor\n"
                + "105\t Artist 4 \tFive\tOriginal Mix\tL\tHouse\t124\tG major\n"
                + "106\tArtist 3\tSix\tOriginal Mix\tL\tHouse\t124\tC major\n"
                + "107\tArtist 4\tSeven\tOriginal Mix\tL\tHouse\t124\tA minor\n");
        for (String id : List.of("101", "102", "103", "104", "105", "106", "107")) {
            text(mtg.resolve("md5/" + id + ".LOFI.md5"), "0123456789abcdef0123456789abcdef");
            mp3(mp3Source, mtg.resolve("audio/" + id + ".LOFI.mp3"), frames++);
        }
        return dir;
    }

    /** MagnaTagATune: annotations_final.csv (quoted, tab-separated, 55 tags here) and mp3/<hex>/*.mp3. */
    public static Path magnaTagATune(Path dir, Path mp3Source) throws IOException {
        List<String> tags = new ArrayList<>(List.of("guitar", "classical", "slow", "techno", "strings"));
        for (int i = 5; i < 55; i++) {
            tags.add("rare tag " + i);
        }
        StringBuilder csv = new StringBuilder("\"clip_id\"");
        tags.forEach(t -> csv.append("\t\"").append(t).append('"'));
        csv.append("\t\"mp3_path\"\n");
        String[][] clips = {{"0/a-track-01-0-29.mp3", "0,1"}, {"5/b-track-02-30-59.mp3", "0,2"},
            {"b/c-track-03-0-29.mp3", "1,3"}, {"c/d-track-04-0-29.mp3", "0,4"}, {"c/e-track-05-0-29.mp3", "2"},
            {"d/f-track-06-0-29.mp3", "0,1"}, {"f/g-track-07-0-29.mp3", "3,4"}, {"9/missing-clip.mp3", "0"},
            {"a/empty-clip.mp3", "1"}};
        int id = 2;
        int frames = 20;
        Path mp3 = dir.resolve("mp3");
        for (String hex : "0123456789abcdef".split("")) {
            Files.createDirectories(mp3.resolve(hex));
        }
        for (String[] c : clips) {
            csv.append('"').append(id++).append('"');
            List<String> on = List.of(c[1].split(","));
            for (int t = 0; t < tags.size(); t++) {
                // the rare tags: each used once, but tag 54 never, so the top 50 are tags 0..49 here
                boolean set = on.contains(Integer.toString(t)) || (t >= 5 && t < 54 && id == 3);
                csv.append("\t\"").append(set ? 1 : 0).append('"');
            }
            csv.append("\t\"").append(c[0]).append("\"\n");
            if (c[0].startsWith("9/")) {
                continue;
            }
            if (c[0].contains("empty")) {
                Files.createFile(mp3.resolve(c[0]));
            } else {
                mp3(mp3Source, mp3.resolve(c[0]), frames++);
            }
        }
        mp3(mp3Source, mp3.resolve("e/not-in-csv.mp3"), 10);
        text(dir.resolve("annotations_final.csv"), csv.toString());
        return dir;
    }

    /** EmoMusic: annotations/songs_info.csv, annotations/static_annotations.csv and clips_45seconds/<id>.mp3. */
    public static Path emoMusic(Path dir, Path mp3Source) throws IOException {
        String[][] songs = {{"2", "Band a", "development", "3.1", "4.2"}, {"3", "Band b", "development", "5.0", "5.5"},
            {"4", "Band e", "development", "6.2", "3.3"}, {"5", "Band g", "development", "2.4", "6.1"},
            {"6", "Band c", "development", "4.4", "4.8"}, {"7", "Band x", "evaluation", "7.0", "2.0"},
            {"8", "Band y", "evaluation", "3.3", "6.6"}};
        StringBuilder info = new StringBuilder("song_id,file_name,Artist,Song title,start of the segment (min.sec),"
                + "end of the segment (min.sec),Genre,Mediaeval 2013 set\n");
        StringBuilder stat = new StringBuilder("song_id,mean_arousal,std_arousal,mean_valence,std_valence\n");
        int frames = 20;
        for (String[] s : songs) {
            info.append(s[0]).append(',').append(s[0]).append(".mp3,").append(s[1]).append(",\"Song, ").append(s[0])
                    .append("\",1.30,2.15,Rock,").append(s[2]).append('\n');
            stat.append(s[0]).append(',').append(s[3]).append(",0.9,").append(s[4]).append(",1.1\n");
            mp3(mp3Source, dir.resolve("clips_45seconds/" + s[0] + ".mp3"), frames++);
        }
        text(dir.resolve("annotations/songs_info.csv"), info.toString());
        text(dir.resolve("annotations/static_annotations.csv"), stat.toString());
        return dir;
    }

    /** The first {@code n} clips of a split of MARBLE's GTZAN lists ({@code train}, {@code valid}, {@code test}). */
    public static List<String> gtzanSplit(String split, int n) throws IOException {
        String resource = "/org/mert4j/datasets/gtzan/" + split + "_filtered.txt";
        try (java.io.InputStream in = FakeDatasets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#") && out.size() < n) {
                    out.add(t.substring(t.indexOf('/') + 1, t.lastIndexOf('.')));
                }
            }
            return out;
        }
    }
}
