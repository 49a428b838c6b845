package org.mert4j.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

import org.mert4j.io.AtomicFiles;
import org.mert4j.probe.Keys;
import org.mert4j.probe.Split;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Realistic local tasks rendered from General MIDI, deterministic for a seed:
 * <ul>
 * <li>{@code notes-pitch}: single notes (NSynth-like) of 24 pitches C3..B4 on 42 GM programs from 10 families
 *     (24 train, 8 valid, 10 test);
 *     split by program, so test timbres are unseen;</li>
 * <li>{@code notes-instrument}: single notes labelled with the GM family (10 classes) of 8 programs per family
 *     (4 train, 2 valid, 2 test),
 *     pitches across each family's range, three velocities; split by program;</li>
 * <li>{@code key}: chord progressions with a melody in all 24 keys, varied voicings, instruments and tempi;</li>
 * <li>{@code beat}: drum and accompaniment patterns at 70-180 BPM with the beat times known.</li>
 * </ul>
 * Clips are laid out on one MIDI timeline with silent gaps, rendered in chunks and cut.
 */
public final class TaskGenerator {
    public static final List<String> NAMES = List.of("notes-pitch", "notes-instrument", "key", "beat");
    public static final int SAMPLE_RATE = 24000;
    private static final double GAP_SECONDS = 1.5;
    private static final int CLIPS_PER_RENDER = 40;

    /** GM families: name, first program, lowest and highest comfortable MIDI pitch. */
    private record Family(String name, int firstProgram, int low, int high) {}

    private static final List<Family> FAMILIES = List.of(new Family("piano", 0, 36, 96),
            new Family("mallet", 8, 60, 96), new Family("organ", 16, 36, 84), new Family("guitar", 24, 40, 84),
            new Family("bass", 32, 28, 60), new Family("strings", 40, 40, 88), new Family("brass", 56, 40, 80),
            new Family("reed", 64, 50, 84), new Family("pipe", 72, 60, 96), new Family("synth_lead", 80, 40, 90));

    /**
     * @param count       clips per program (notes tasks, default pitch 24, instrument 12), per key (key, default 36)
     *                    or in all (beat, default 400, half of them test); 0 for the default. The defaults give
     *                    test splits of 240, 240, 216 and 200 clips.
     * @param clipSeconds clip length (defaults: notes 1.5 s, shorter than NSynth's 4 s for speed; key 8 s;
     *                    beat 10 s, as beats before 5 s are not scored); 0 for the default
     */
    public record Options(long seed, int count, double clipSeconds, Path soundFont) {
        public static Options defaults(long seed) {
            return new Options(seed, 0, 0, null);
        }
    }

    private TaskGenerator() {}

    /**
     * Generates task {@code name} into {@code out} (task.yaml, manifest.jsonl, audio/, beats/) and returns the
     * task file. {@code progress} receives the number of clips written so far.
     *
     * @throws SynthesizerMissingException when fluidsynth or a SoundFont is missing
     */
    public static Path generate(String name, Path out, Options options, IntConsumer progress) throws IOException {
        SoundFontRenderer renderer = SoundFontRenderer.find(options.soundFont(), SAMPLE_RATE);
        Random rng = new Random(options.seed() * 31 + name.hashCode());
        List<ClipSpec> clips;
        double seconds;
        String type;
        double window;
        switch (name) {
            case "notes-pitch" -> {
                seconds = or(options.clipSeconds(), 1.5);
                clips = notes(rng, true, options.count() > 0 ? options.count() : 24, seconds);
                type = "multiclass";
                window = 0;
            }
            case "notes-instrument" -> {
                seconds = or(options.clipSeconds(), 1.5);
                clips = notes(rng, false, options.count() > 0 ? options.count() : 12, seconds);
                type = "multiclass";
                window = 0;
            }
            case "key" -> {
                seconds = or(options.clipSeconds(), 8.0);
                clips = keys(rng, options.count() > 0 ? options.count() : 36, seconds);
                type = "key";
                window = 5;
            }
            case "beat" -> {
                seconds = or(options.clipSeconds(), 10.0);
                clips = beats(rng, options.count() > 0 ? options.count() : 400, seconds);
                type = "beat";
                window = 0;
            }
            default -> throw new IllegalArgumentException("unknown task '" + name + "' (expected one of " + NAMES
                    + ")");
        }
        Files.createDirectories(out.resolve("audio"));
        if (type.equals("beat")) {
            Files.createDirectories(out.resolve("beats"));
        }
        ObjectMapper json = new ObjectMapper();
        StringBuilder manifest = new StringBuilder();
        int clipSamples = (int) Math.round(seconds * SAMPLE_RATE);
        for (int first = 0; first < clips.size(); first += CLIPS_PER_RENDER) {
            List<ClipSpec> chunk = clips.subList(first, Math.min(clips.size(), first + CLIPS_PER_RENDER));
            MidiTimeline timeline = new MidiTimeline();
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).music().write(timeline, i * (seconds + GAP_SECONDS));
            }
            float[] audio = renderer.render(timeline, out);
            for (int i = 0; i < chunk.size(); i++) {
                int index = first + i;
                ClipSpec c = chunk.get(i);
                int start = (int) Math.round(i * (seconds + GAP_SECONDS) * SAMPLE_RATE);
                float[] clip = new float[clipSamples];
                System.arraycopy(audio, Math.min(start, audio.length), clip, 0,
                        Math.max(0, Math.min(clipSamples, audio.length - start)));
                String file = String.format("audio/%05d.wav", index);
                WavFiles.writeMono16(out.resolve(file), clip, SAMPLE_RATE);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("audio", file);
                line.put("split", c.split().id());
                if (c.label() != null) {
                    line.put("label", c.label());
                }
                if (c.beats() != null) {
                    String beatFile = String.format("beats/%05d.beats", index);
                    StringBuilder b = new StringBuilder();
                    for (double t : c.beats()) {
                        b.append(String.format(java.util.Locale.ROOT, "%.3f%n", t));
                    }
                    AtomicFiles.write(out.resolve(beatFile), o -> o.write(b.toString().getBytes(StandardCharsets.UTF_8)));
                    line.put("beats", beatFile);
                }
                line.putAll(c.info());
                manifest.append(json.writeValueAsString(line)).append('\n');
                progress.accept(index + 1);
            }
        }
        AtomicFiles.write(out.resolve("manifest.jsonl"), o -> o.write(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        String task = "# generated by mert tasks make " + name + " --seed " + options.seed() + " (SoundFont "
                + renderer.soundFont().getFileName() + ")\n"
                + "name: " + name + "\ntype: " + type + "\nmanifest: manifest.jsonl\nwindow: "
                + (window > 0 ? String.valueOf(window) : "clip") + "\n";
        Path taskFile = out.resolve("task.yaml");
        AtomicFiles.write(taskFile, o -> o.write(task.getBytes(StandardCharsets.UTF_8)));
        return taskFile;
    }

    private static double or(double v, double fallback) {
        return v > 0 ? v : fallback;
    }

    /** Programs per split: pitch draws 24 / 8 / 10 of the 80 family programs; instrument splits each family 4 / 2 / 2. */
    private static final int[] PITCH_PROGRAMS_PER_SPLIT = {24, 8, 10};
    private static final int[] INSTRUMENT_PROGRAMS_PER_SPLIT = {4, 2, 2};

    /** Programs are split so that test timbres never occur in training (nor in validation). */
    private static List<ClipSpec> notes(Random rng, boolean pitchTask, int perProgram, double seconds) {
        List<ClipSpec> out = new ArrayList<>();
        int[] velocities = {50, 80, 110};
        Split[] splits = {Split.TRAIN, Split.VALID, Split.TEST};
        List<int[]> programs = new ArrayList<>(); // {family, program, split}
        if (pitchTask) {
            List<int[]> all = new ArrayList<>();
            for (int f = 0; f < FAMILIES.size(); f++) {
                for (int i = 0; i < 8; i++) {
                    all.add(new int[] {f, FAMILIES.get(f).firstProgram() + i});
                }
            }
            Collections.shuffle(all, rng);
            int k = 0;
            for (int s = 0; s < splits.length; s++) {
                for (int i = 0; i < PITCH_PROGRAMS_PER_SPLIT[s]; i++, k++) {
                    programs.add(new int[] {all.get(k)[0], all.get(k)[1], splits[s].ordinal()});
                }
            }
        } else {
            for (int f = 0; f < FAMILIES.size(); f++) {
                List<Integer> ps = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ps.add(FAMILIES.get(f).firstProgram() + i);
                }
                Collections.shuffle(ps, rng);
                int k = 0;
                for (int s = 0; s < splits.length; s++) {
                    for (int i = 0; i < INSTRUMENT_PROGRAMS_PER_SPLIT[s]; i++, k++) {
                        programs.add(new int[] {f, ps.get(k), splits[s].ordinal()});
                    }
                }
            }
        }
        for (int[] fp : programs) {
            Family fam = FAMILIES.get(fp[0]);
            int program = fp[1];
            Split split = Split.values()[fp[2]];
            List<Integer> pitches = new ArrayList<>();
            if (pitchTask) {
                for (int p = 48; p < 72; p++) {
                    pitches.add(p);
                }
                Collections.shuffle(pitches, rng);
            } else {
                for (int i = 0; i < perProgram; i++) {
                    pitches.add(fam.low() + rng.nextInt(fam.high() - fam.low() + 1));
                }
            }
            for (int i = 0; i < Math.min(perProgram, pitches.size()); i++) {
                int pitch = pitches.get(i);
                int velocity = velocities[rng.nextInt(velocities.length)];
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("program", program);
                info.put("family", fam.name());
                info.put("pitch", pitch);
                info.put("velocity", velocity);
                out.add(new ClipSpec(pitchTask ? Integer.toString(pitch) : fam.name(), split, null,
                        (t, at) -> t.program(0, program, at).note(0, pitch, velocity, at + 0.01, seconds * 0.75),
                        info));
            }
        }
        return out;
    }

    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] HARMONIC_MINOR = {0, 2, 3, 5, 7, 8, 11};
    private static final int[][] MAJOR_PROGRESSIONS = {{0, 3, 4, 0}, {0, 5, 3, 4}, {1, 4, 0, 0}, {0, 3, 0, 4}};
    private static final int[][] MINOR_PROGRESSIONS = {{0, 3, 4, 0}, {0, 5, 3, 4}, {0, 3, 6, 4}, {0, 4, 0, 3}};
    private static final int[] KEY_PROGRAMS = {0, 1, 4, 16, 19, 24, 25, 46, 48, 49, 52, 89};
    private static final int[] MELODY_PROGRAMS = {0, 11, 40, 56, 65, 68, 73, 80};

    private static List<ClipSpec> keys(Random rng, int perKey, double seconds) {
        List<ClipSpec> out = new ArrayList<>();
        Split[] plan = {Split.TRAIN, Split.TRAIN, Split.VALID, Split.TEST};
        for (int n = 0; n < perKey; n++) {
            for (int key = 0; key < Keys.COUNT; key++) {
                int tonic = key % 12;
                boolean minor = key >= 12;
                int[] scale = minor ? HARMONIC_MINOR : MAJOR;
                int[] progression = (minor ? MINOR_PROGRESSIONS : MAJOR_PROGRESSIONS)[rng.nextInt(4)];
                double bpm = 60 + rng.nextInt(81);
                double chordSeconds = 2 * 60.0 / bpm;
                int chordProgram = KEY_PROGRAMS[rng.nextInt(KEY_PROGRAMS.length)];
                int melodyProgram = MELODY_PROGRAMS[rng.nextInt(MELODY_PROGRAMS.length)];
                int base = 48 + Math.floorMod(tonic - 0, 12) - (rng.nextBoolean() ? 12 : 0);
                int inversion = rng.nextInt(3);
                boolean withBass = rng.nextBoolean();
                long melodySeed = rng.nextLong();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("bpm", bpm);
                info.put("program", chordProgram);
                out.add(new ClipSpec(Keys.name(key), plan[(n + key) % plan.length], null, (t, at) -> {
                    Random m = new Random(melodySeed);
                    t.program(0, chordProgram, at).program(1, melodyProgram, at).program(2, 33, at);
                    int chords = (int) Math.floor(seconds / chordSeconds);
                    for (int c = 0; c < chords; c++) {
                        // end on the tonic; otherwise cycle the progression
                        int degree = c == chords - 1 ? 0 : progression[c % progression.length];
                        double start = at + 0.01 + c * chordSeconds;
                        for (int v = 0; v < 3; v++) {
                            int idx = degree + 2 * ((v + inversion) % 3);
                            int pitch = base + scale[idx % 7] + 12 * (idx / 7) + ((v + inversion) >= 3 ? 12 : 0);
                            t.note(0, pitch, 70, start, chordSeconds * 0.95);
                        }
                        if (withBass) {
                            t.note(2, base - 12 + scale[degree], 80, start, chordSeconds * 0.9);
                        }
                        for (int e = 0; e < 4; e++) {
                            int step = m.nextInt(7);
                            t.note(1, base + 12 + scale[step], 60 + m.nextInt(30), start + e * chordSeconds / 4,
                                    chordSeconds / 4 * 0.9);
                        }
                    }
                }, info));
            }
        }
        return out;
    }

    private static List<ClipSpec> beats(Random rng, int count, double seconds) {
        List<ClipSpec> out = new ArrayList<>();
        // half of the clips for test: a beat probe learns from few clips, and the metric is averaged per clip
        int valid = Math.max(1, count / 10);
        int test = Math.max(1, count / 2);
        for (int n = 0; n < count; n++) {
            Split split = n < count - valid - test ? Split.TRAIN : n < count - test ? Split.VALID : Split.TEST;
            double bpm = 70 + rng.nextInt(111);
            double period = 60.0 / bpm;
            double offset = 0.05 + rng.nextDouble() * period;
            int style = rng.nextInt(3); // 0 rock, 1 hats and bass only, 2 four on the floor
            int chordProgram = KEY_PROGRAMS[rng.nextInt(KEY_PROGRAMS.length)];
            int root = 45 + rng.nextInt(12);
            List<Double> beatTimes = new ArrayList<>();
            for (double b = offset; b < seconds - 0.1; b += period) {
                beatTimes.add(b);
            }
            double[] beatArray = beatTimes.stream().mapToDouble(Double::doubleValue).toArray();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("bpm", bpm);
            info.put("style", style);
            out.add(new ClipSpec(null, split, beatArray, (t, at) -> {
                t.program(1, 33, at).program(2, chordProgram, at);
                for (int i = 0; i < beatArray.length; i++) {
                    double b = at + beatArray[i];
                    boolean downbeat = i % 4 == 0;
                    if (style == 2 || (style == 0 && i % 2 == 0) || (style == 1 && downbeat)) {
                        t.note(MidiTimeline.DRUM_CHANNEL, 36, downbeat ? 120 : 100, b, 0.1);
                    }
                    if (style != 1 && i % 2 == 1) {
                        t.note(MidiTimeline.DRUM_CHANNEL, 38, 100, b, 0.1);
                    }
                    t.note(MidiTimeline.DRUM_CHANNEL, 42, 70, b, 0.05);
                    t.note(MidiTimeline.DRUM_CHANNEL, 42, 45, b + period / 2, 0.05);
                    if (i % 2 == 0) {
                        t.note(1, root - 12 + (i % 8 < 4 ? 0 : 7), 90, b, period * 0.9);
                    }
                    if (style != 2) {
                        for (int p : new int[] {0, 4, 7}) {
                            t.note(2, root + 12 + p + (i % 8 < 4 ? 0 : 5), 50, b + period / 2, period * 0.4);
                        }
                    }
                }
            }, info));
        }
        return out;
    }
}
