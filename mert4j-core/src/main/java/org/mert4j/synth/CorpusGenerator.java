package org.mert4j.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.mert4j.io.AtomicFiles;

/**
 * A pretraining corpus of music written as General MIDI and rendered with a SoundFont: pieces of
 * {@code minSeconds..maxSeconds}, each in one of the 24 keys at 60-180 BPM in 4/4 or 3/4, looping a chord
 * progression, with some of these parts: chords (block, arpeggiated, strummed or comping), a melody
 * moving mostly by step and landing on chord tones, a bass line, and a drum-kit groove with fills. Each
 * part draws its program from the General MIDI families that play such parts, so the corpus spans most
 * of the 128 programs; dynamics, registers, voicings and timing vary per piece. Deterministic for a seed.
 *
 * <p>Writes {@code audio/NNNNN.wav} (mono 16-bit at {@link #SAMPLE_RATE}) and {@code pieces.jsonl}: one
 * line per piece with its key, tempo, metre, parts and programs.
 */
public final class CorpusGenerator {
    public static final int SAMPLE_RATE = 24000;
    private static final double GAP_SECONDS = 2.0;
    private static final int PIECES_PER_RENDER = 8;

    /** @param hours total audio to write; pieces last {@code minSeconds..maxSeconds} */
    public record Options(long seed, double hours, double minSeconds, double maxSeconds, Path soundFont) {
        public Options {
            if (!(hours > 0) || hours > 1000) {
                throw new IllegalArgumentException("hours must be in (0, 1000], got " + hours);
            }
            if (!(minSeconds >= 2) || maxSeconds < minSeconds || maxSeconds > 600) {
                throw new IllegalArgumentException("piece lengths must satisfy 2 <= min <= max <= 600 s, got "
                        + minSeconds + " .. " + maxSeconds);
            }
        }

        public static Options defaults(long seed, double hours) {
            return new Options(seed, hours, 20, 40, null);
        }
    }

    /** Told after each piece is written: pieces done, pieces in all, seconds of audio written. */
    public interface Progress {
        void update(int done, int total, double seconds);
    }

    /** What was written. */
    public record Summary(int pieces, double seconds, Path folder) {}

    private CorpusGenerator() {}

    // programs by role (General MIDI numbering from 0)
    private static final int[] CHORD_PROGRAMS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 16, 17, 18, 19, 20, 21, 22, 24,
        25, 26, 27, 28, 29, 30, 46, 48, 49, 50, 51, 52, 61, 88, 89, 90, 91, 92, 93, 94, 95};
    private static final int[] MELODY_PROGRAMS = {0, 1, 4, 6, 8, 9, 10, 11, 12, 13, 14, 16, 21, 22, 24, 25, 26, 27, 29,
        40, 41, 42, 45, 56, 57, 58, 59, 60, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
        82, 83, 84, 85, 86, 87, 104, 105, 108, 109, 110, 111};
    private static final int[] BASS_PROGRAMS = {32, 33, 34, 35, 36, 37, 38, 39, 42, 43, 58, 70};
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};
    private static final int[][] MAJOR_PROGRESSIONS = {{0, 4, 5, 3}, {0, 3, 4, 0}, {0, 5, 3, 4}, {1, 4, 0, 0},
        {0, 5, 1, 4}, {0, 2, 3, 4}, {0, 3, 0, 4, 5, 3, 4, 0}, {5, 3, 0, 4}};
    private static final int[][] MINOR_PROGRESSIONS = {{0, 5, 2, 6}, {0, 3, 4, 0}, {0, 6, 5, 6}, {0, 3, 6, 2},
        {0, 5, 3, 4}, {0, 4, 5, 3, 0, 3, 4, 0}};
    private static final String[] NOTE_NAMES = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    private static final int CHORDS = 0;
    private static final int MELODY = 1;
    private static final int BASS = 2;

    /** Writes the corpus into {@code out}. */
    public static Summary generate(Path out, Options options, Progress progress) throws IOException {
        SoundFontRenderer renderer = SoundFontRenderer.find(options.soundFont(), SAMPLE_RATE);
        Random rng = new Random(options.seed() * 7919 + 17);
        List<Piece> pieces = new ArrayList<>();
        double total = 0;
        while (total < options.hours() * 3600) {
            double seconds = options.minSeconds() + rng.nextDouble() * (options.maxSeconds() - options.minSeconds());
            Piece p = Piece.random(rng, seconds);
            pieces.add(p);
            total += p.seconds;
        }
        Files.createDirectories(out.resolve("audio"));
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        double written = 0;
        for (int first = 0; first < pieces.size(); first += PIECES_PER_RENDER) {
            List<Piece> chunk = pieces.subList(first, Math.min(pieces.size(), first + PIECES_PER_RENDER));
            MidiTimeline timeline = new MidiTimeline();
            double at = 0;
            double[] starts = new double[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                starts[i] = at;
                chunk.get(i).write(timeline, at);
                at += chunk.get(i).seconds + GAP_SECONDS;
            }
            float[] audio = renderer.render(timeline, out);
            for (int i = 0; i < chunk.size(); i++) {
                Piece p = chunk.get(i);
                int start = (int) Math.round(starts[i] * SAMPLE_RATE);
                int n = (int) Math.round(p.seconds * SAMPLE_RATE);
                float[] clip = new float[n];
                System.arraycopy(audio, Math.min(start, audio.length), clip, 0,
                        Math.max(0, Math.min(n, audio.length - start)));
                String file = String.format("audio/%05d.wav", first + i);
                WavFiles.writeMono16(out.resolve(file), clip, SAMPLE_RATE);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("audio", file);
                line.putAll(p.info());
                lines.append(json.writeValueAsString(line)).append('\n');
                written += p.seconds;
                progress.update(first + i + 1, pieces.size(), written);
            }
        }
        AtomicFiles.write(out.resolve("pieces.jsonl"), o -> o.write(lines.toString().getBytes(StandardCharsets.UTF_8)));
        return new Summary(pieces.size(), total, out);
    }

    /** One piece: its plan, drawn once, then written as MIDI. */
    private static final class Piece {
        final double seconds;
        final int tonic;
        final boolean minor;
        final double bpm;
        final int beatsPerBar;
        final int[] progression;
        final int beatsPerChord;
        final int[] programs = {-1, -1, -1}; // chords, melody, bass; -1 = part absent
        final boolean drums;
        final int chordStyle; // 0 block, 1 arpeggio, 2 strummed, 3 comping
        final int drumStyle; // 0 rock, 1 four on the floor, 2 half time, 3 hats and rim only
        final int loudness;
        final int register;
        final long noteSeed;

        private Piece(Random r, double seconds) {
            this.seconds = seconds;
            tonic = r.nextInt(12);
            minor = r.nextDouble() < 0.4;
            bpm = 60 + r.nextInt(121);
            beatsPerBar = r.nextDouble() < 0.8 ? 4 : 3;
            int[][] progressions = minor ? MINOR_PROGRESSIONS : MAJOR_PROGRESSIONS;
            progression = progressions[r.nextInt(progressions.length)];
            double harmonicRhythm = r.nextDouble(); // a chord per two bars, per bar, or per half bar
            beatsPerChord = harmonicRhythm < 0.25 ? 2 * beatsPerBar
                    : harmonicRhythm < 0.85 || beatsPerBar == 3 ? beatsPerBar : beatsPerBar / 2;
            // a pitched part always; otherwise each part on its own chance
            boolean chords = r.nextDouble() < 0.85;
            boolean melody = r.nextDouble() < 0.75 || !chords;
            boolean bass = r.nextDouble() < 0.65;
            drums = r.nextDouble() < 0.55;
            if (chords) {
                programs[CHORDS] = CHORD_PROGRAMS[r.nextInt(CHORD_PROGRAMS.length)];
            }
            if (melody) {
                programs[MELODY] = MELODY_PROGRAMS[r.nextInt(MELODY_PROGRAMS.length)];
            }
            if (bass) {
                programs[BASS] = BASS_PROGRAMS[r.nextInt(BASS_PROGRAMS.length)];
            }
            chordStyle = r.nextInt(4);
            drumStyle = r.nextInt(4);
            loudness = 55 + r.nextInt(56);
            register = r.nextInt(3) - 1; // octave shift of chords and melody
            noteSeed = r.nextLong();
        }

        static Piece random(Random r, double seconds) {
            return new Piece(r, seconds);
        }

        Map<String, Object> info() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("key", NOTE_NAMES[tonic] + (minor ? " minor" : " major"));
            m.put("bpm", bpm);
            m.put("metre", beatsPerBar + "/4");
            Map<String, Object> parts = new LinkedHashMap<>();
            String[] names = {"chords", "melody", "bass"};
            for (int i = 0; i < 3; i++) {
                if (programs[i] >= 0) {
                    parts.put(names[i], programs[i]);
                }
            }
            if (drums) {
                parts.put("drums", drumStyle);
            }
            m.put("programs", parts);
            return m;
        }

        private int degreePitch(int degree, int base) {
            int[] scale = minor ? MINOR : MAJOR;
            int octave = Math.floorDiv(degree, 7);
            return base + scale[Math.floorMod(degree, 7)] + 12 * octave;
        }

        /** Writes the piece's MIDI events from {@code at} seconds. */
        void write(MidiTimeline t, double at) {
            Random r = new Random(noteSeed);
            double beat = 60.0 / bpm;
            int totalBeats = (int) Math.floor((seconds - 0.3) / beat);
            for (int i = 0; i < 3; i++) {
                if (programs[i] >= 0) {
                    t.program(i, programs[i], at);
                }
            }
            int chordBase = 48 + tonic + 12 * register - (tonic > 6 ? 12 : 0);
            int melodyBase = chordBase + 12;
            int bassBase = 36 + tonic - (tonic > 4 ? 12 : 0);
            int melodyDegree = 7 + r.nextInt(5);
            int inversion = r.nextInt(3);
            for (int b = 0; b < totalBeats; b += beatsPerChord) {
                int chordIndex = (b / beatsPerChord) % progression.length;
                int degree = b + beatsPerChord >= totalBeats ? 0 : progression[chordIndex];
                double start = at + b * beat;
                double length = Math.min(beatsPerChord, totalBeats - b) * beat;
                int[] chord = new int[3];
                for (int v = 0; v < 3; v++) {
                    int tone = degree + 2 * ((v + inversion) % 3);
                    chord[v] = degreePitch(tone, chordBase) + ((v + inversion) >= 3 ? 12 : 0);
                }
                if (programs[CHORDS] >= 0) {
                    writeChords(t, r, chord, start, length, beat);
                }
                if (programs[BASS] >= 0) {
                    writeBass(t, r, degreePitch(degree, bassBase), start, length, beat);
                }
                if (programs[MELODY] >= 0) {
                    melodyDegree = writeMelody(t, r, degree, melodyDegree, melodyBase, start, length, beat);
                }
            }
            if (drums) {
                writeDrums(t, r, at, totalBeats, beat);
            }
        }

        private int velocity(Random r, int accent) {
            return Math.max(1, Math.min(127, loudness + accent + r.nextInt(15) - 7));
        }

        private double humanise(Random r) {
            return (r.nextDouble() - 0.5) * 0.02;
        }

        private void writeChords(MidiTimeline t, Random r, int[] chord, double start, double length, double beat) {
            switch (chordStyle) {
                case 0 -> {
                    for (int p : chord) {
                        t.note(CHORDS, p, velocity(r, -10), start + 0.01, length * 0.95);
                    }
                }
                case 1 -> { // arpeggio in eighths over two octaves
                    double step = beat / 2;
                    int n = (int) Math.round(length / step);
                    for (int i = 0; i < n; i++) {
                        int idx = i % 6;
                        int p = chord[idx % 3] + (idx >= 3 ? 12 : 0);
                        t.note(CHORDS, p, velocity(r, i % 2 == 0 ? -5 : -15), start + i * step + 0.01, step * 0.95);
                    }
                }
                case 2 -> { // strummed: notes a few ms apart, once per beat pair
                    for (double s = 0; s < length - 1e-6; s += 2 * beat) {
                        for (int v = 0; v < 3; v++) {
                            t.note(CHORDS, chord[v], velocity(r, -8), start + s + 0.01 + v * 0.015,
                                    Math.min(2 * beat, length - s) * 0.9);
                        }
                    }
                }
                default -> { // comping on the off-beats
                    for (double s = beat / 2; s < length - 1e-6; s += beat) {
                        for (int p : chord) {
                            t.note(CHORDS, p, velocity(r, -12), start + s + humanise(r) + 0.01, beat * 0.35);
                        }
                    }
                }
            }
        }

        private void writeBass(MidiTimeline t, Random r, int root, double start, double length, double beat) {
            int beats = (int) Math.round(length / beat);
            for (int i = 0; i < beats; i++) {
                int p = switch (i % 4) {
                    case 0 -> root;
                    case 2 -> root + 7;
                    default -> r.nextDouble() < 0.5 ? root : root + 12;
                };
                if (i % 2 == 1 && r.nextDouble() < 0.4) {
                    continue; // rest
                }
                t.note(BASS, Math.max(24, Math.min(67, p)), velocity(r, i == 0 ? 5 : -5), start + i * beat + 0.01,
                        beat * 0.85);
            }
        }

        /** A line moving mostly by step, on chord tones at chord changes; returns the last degree. */
        private int writeMelody(MidiTimeline t, Random r, int chordDegree, int degree, int base, double start,
                                double length, double beat) {
            double pos = 0;
            boolean first = true;
            while (pos < length - 1e-6) {
                double dur = beat * switch (r.nextInt(6)) {
                    case 0 -> 0.5;
                    case 1, 2 -> 1.0;
                    case 3 -> 0.5;
                    case 4 -> 2.0;
                    default -> 1.5;
                };
                dur = Math.min(dur, length - pos);
                if (first) {
                    // nearest chord tone (root, third or fifth) to where the line is
                    int best = degree;
                    for (int d = degree - 3; d <= degree + 3; d++) {
                        if (Math.floorMod(d - chordDegree, 7) % 2 == 0 && Math.floorMod(d - chordDegree, 7) <= 4) {
                            if (Math.abs(d - degree) < Math.abs(best - degree) || best == degree) {
                                best = d;
                            }
                        }
                    }
                    degree = best;
                    first = false;
                } else {
                    int move = r.nextDouble() < 0.7 ? (r.nextBoolean() ? 1 : -1) : r.nextInt(7) - 3;
                    degree += move;
                }
                degree = Math.max(3, Math.min(16, degree));
                if (r.nextDouble() > 0.12) {
                    t.note(MELODY, degreePitch(degree, base - 12), velocity(r, 5), start + pos + humanise(r) + 0.01,
                            dur * 0.9);
                }
                pos += dur;
            }
            return degree;
        }

        private void writeDrums(MidiTimeline t, Random r, double at, int totalBeats, double beat) {
            int ch = MidiTimeline.DRUM_CHANNEL;
            int[] hats = {42, 42, 44, 46, 51};
            int hat = hats[r.nextInt(hats.length)];
            for (int b = 0; b < totalBeats; b++) {
                double s = at + b * beat + 0.01;
                int inBar = b % beatsPerBar;
                boolean fill = (b / beatsPerBar) % 4 == 3 && inBar == beatsPerBar - 1 && r.nextDouble() < 0.7;
                if (fill) {
                    int[] toms = {50, 48, 47, 45, 43, 41};
                    for (int k = 0; k < 4; k++) {
                        t.note(ch, toms[(k + r.nextInt(2)) % toms.length], velocity(r, 10), s + k * beat / 4, 0.1);
                    }
                    continue;
                }
                switch (drumStyle) {
                    case 0 -> {
                        if (inBar % 2 == 0) {
                            t.note(ch, 36, velocity(r, 15), s, 0.1);
                        } else {
                            t.note(ch, 38, velocity(r, 10), s, 0.1);
                        }
                    }
                    case 1 -> {
                        t.note(ch, 36, velocity(r, 15), s, 0.1);
                        if (inBar % 2 == 1) {
                            t.note(ch, 39, velocity(r, 0), s, 0.1);
                        }
                    }
                    case 2 -> {
                        if (inBar == 0) {
                            t.note(ch, 36, velocity(r, 15), s, 0.1);
                        } else if (inBar == 2 || (beatsPerBar == 3 && inBar == 1)) {
                            t.note(ch, 38, velocity(r, 10), s, 0.1);
                        }
                    }
                    default -> {
                        if (inBar == 0) {
                            t.note(ch, 37, velocity(r, 0), s, 0.1);
                        }
                    }
                }
                t.note(ch, hat, velocity(r, -15), s, 0.05);
                if (r.nextDouble() < 0.8) {
                    t.note(ch, hat, velocity(r, -30), s + beat / 2, 0.05);
                }
                if (b % (4 * beatsPerBar) == 0 && r.nextDouble() < 0.5) {
                    t.note(ch, 49, velocity(r, 5), s, 0.5);
                }
            }
        }
    }
}
