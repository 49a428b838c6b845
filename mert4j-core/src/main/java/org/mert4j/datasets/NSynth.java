package org.mert4j.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.mert4j.probe.Split;
import org.mert4j.probe.TaskType;

/**
 * {@code nsynth-instrument} and {@code nsynth-pitch}: NSynth (Engel et al. 2017) as Magenta publishes it,
 * {@code nsynth-{train,valid,test}/examples.json} and {@code audio/<note_str>.wav}, with the official splits.
 * As in MARBLE, every note counts (no subset by source): the instrument task predicts
 * {@code instrument_family_str} (11 families), the pitch task the MIDI {@code pitch} among 128 classes (NSynth's
 * notes span 9..120).
 */
final class NSynth implements DatasetImporter {
    enum Target { INSTRUMENT, PITCH }

    static final List<String> FAMILIES = List.of("bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ",
            "reed", "string", "synth_lead", "vocal");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Target target;

    NSynth(Target target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "nsynth-" + target.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String summary() {
        return target == Target.INSTRUMENT ? "NSynth instrument family (11 classes), official train/valid/test"
                : "NSynth pitch (128 MIDI pitches), official train/valid/test";
    }

    @Override
    public TaskDraft read(Path dir) throws IOException {
        ImportReport report = new ImportReport();
        List<TaskDraft.Entry> entries = TaskDraft.newEntries();
        List<String> found = new ArrayList<>();
        for (Split split : List.of(Split.TRAIN, Split.VALID, Split.TEST)) {
            String part = "nsynth-" + split.id();
            Path examples = Folders.findFile(dir, 2, part + "/examples.json").orElse(null);
            if (examples == null) {
                report.missing(part + "/examples.json");
                continue;
            }
            found.add(examples.getParent().toString());
            Path audioDir = examples.getParent().resolve("audio");
            Set<String> onDisk = new HashSet<>();
            if (Files.isDirectory(audioDir)) {
                try (Stream<Path> s = Files.list(audioDir)) {
                    s.forEach(p -> onDisk.add(p.getFileName().toString()));
                }
            }
            Set<String> listed = new HashSet<>();
            Map<String, Integer> firstLine = new HashMap<>();
            read(examples, (note, n, line) -> {
                String where = part + "/examples.json line " + line;
                Integer first = firstLine.putIfAbsent(note, line);
                if (first != null) {
                    report.rejected(where, "note '" + note + "' again (first on line " + first + ", which is kept)");
                    return;
                }
                String wav = note + ".wav";
                listed.add(wav);
                if (!onDisk.contains(wav)) { // names from the folder listing: never a path out of it
                    report.missing(part + "/audio/" + wav);
                    return;
                }
                String label = label(n);
                if (label == null) {
                    report.rejected(where, "note '" + note + "' has no usable " + (target == Target.INSTRUMENT
                            ? "instrument_family_str (one of " + FAMILIES + ")" : "pitch (a whole number 0..127)")
                            + ": " + (target == Target.INSTRUMENT ? n.get("instrument_family_str") : n.get("pitch")));
                    return;
                }
                entries.add(new TaskDraft.Entry(audioDir.resolve(wav), split, JSON.createObjectNode().put("label", label)));
                report.added(split);
            });
            onDisk.stream().filter(f -> f.endsWith(".wav") && !listed.contains(f)).sorted()
                    .forEach(f -> report.unused(part + "/audio/" + f));
        }
        if (found.isEmpty()) {
            throw new IOException(dir + ": no NSynth found: expected nsynth-train/, nsynth-valid/ and nsynth-test/,"
                    + " each with examples.json and audio/");
        }
        List<String> classes = target == Target.INSTRUMENT ? FAMILIES
                : IntStream.range(0, 128).mapToObj(Integer::toString).toList();
        return new TaskDraft(name(), TaskType.MULTICLASS, 0, "accuracy", classes,
                List.of("NSynth (Engel et al. 2017), " + (target == Target.INSTRUMENT ? "instrument_family_str"
                        : "pitch (MIDI note number)") + ", official splits, from " + String.join(", ", found),
                        "every note counts, as in MARBLE; features of the whole 4 s note"), entries, report);
    }

    /** The note's class, or null when the field is missing or not one of the classes (no default class). */
    private String label(JsonNode n) {
        if (target == Target.INSTRUMENT) {
            JsonNode family = n.get("instrument_family_str");
            return family != null && family.isTextual() && FAMILIES.contains(family.asText()) ? family.asText() : null;
        }
        JsonNode pitch = n.get("pitch");
        return pitch != null && pitch.isIntegralNumber() && pitch.canConvertToInt() && pitch.asInt() >= 0
                && pitch.asInt() < 128 ? Integer.toString(pitch.asInt()) : null;
    }

    interface NoteConsumer {
        void accept(String note, JsonNode fields, int line);
    }

    /** Streams examples.json ({note_str: {...}}), which holds hundreds of thousands of notes for the train split. */
    static void read(Path examples, NoteConsumer consumer) throws IOException {
        try (JsonParser p = new JsonFactory(JSON).createParser(examples.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(examples + ": expected a JSON object of notes");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String note = p.getCurrentName();
                int line = p.getTokenLocation().getLineNr();
                p.nextToken();
                JsonNode fields = p.readValueAsTree();
                consumer.accept(note, fields == null ? NullNode.getInstance() : fields, line);
            }
        }
    }
}
