package org.mert4j.datasets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The importers, by name. */
public final class Datasets {
    private static final Map<String, DatasetImporter> ALL = new LinkedHashMap<>();

    static {
        for (DatasetImporter d : List.of(new GtzanGenre(), new GtzanBeat(), new NSynth(NSynth.Target.INSTRUMENT),
                new NSynth(NSynth.Target.PITCH), new GiantStepsKey(), new MagnaTagATune(), new EmoMusic())) {
            ALL.put(d.name(), d);
        }
    }

    private Datasets() {}

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static List<DatasetImporter> all() {
        return List.copyOf(ALL.values());
    }

    /** The importer of that name; an unknown name is an error listing the known ones. */
    public static DatasetImporter get(String name) {
        DatasetImporter d = ALL.get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "' (expected one of " + names() + ")");
        }
        return d;
    }
}
