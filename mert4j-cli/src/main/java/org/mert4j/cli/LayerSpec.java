package org.mert4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Which hidden states to keep, as typed after {@code --layers}: {@code all}, a list {@code 0,6,12},
 * ranges {@code 3-5}, or a mix {@code 0,4-6}. Index 0 is the conv/projection output, index L the last
 * transformer layer. The syntax is checked when parsing; the range once the model is known.
 */
public final class LayerSpec {
    public static final LayerSpec ALL = new LayerSpec("all", null);

    private final String text;
    private final int[] indices; // null: all hidden states

    private LayerSpec(String text, int[] indices) {
        this.text = text;
        this.indices = indices;
    }

    public static LayerSpec parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--layers is empty: expected all, a list like 0,6,12 or a range like 3-5");
        }
        Set<Integer> out = new LinkedHashSet<>(); // keeps the order typed, drops repeats
        for (String part : t.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                if (dash > 0) {
                    int from = Integer.parseInt(p.substring(0, dash).strip());
                    int to = Integer.parseInt(p.substring(dash + 1).strip());
                    if (from < 0 || to < from) {
                        throw new IllegalArgumentException("--layers " + text + ": range '" + p
                                + "' must go from a smaller to a larger non-negative index");
                    }
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                } else {
                    int i = Integer.parseInt(p);
                    if (i < 0) {
                        throw new IllegalArgumentException("--layers " + text + ": layer " + i + " is negative");
                    }
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers " + text + ": '" + p
                        + "' is not a layer index; expected all, a list like 0,6,12 or a range like 3-5");
            }
        }
        return new LayerSpec(t, out.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Null when all hidden states are kept (what {@code EmbedOptions} expects). */
    public int[] indicesOrNull() {
        return indices == null ? null : indices.clone();
    }

    /** The indices for a model with {@code numStates} = L+1 hidden states; a usage error if one is out of range. */
    public int[] resolve(int numStates) {
        if (indices == null) {
            int[] all = new int[numStates];
            for (int i = 0; i < numStates; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> bad = new ArrayList<>();
        for (int i : indices) {
            if (i >= numStates) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new UsageException("--layers " + text + ": " + (bad.size() == 1 ? "layer " + bad.get(0) + " does"
                    : "layers " + bad + " do") + " not exist; this model has hidden states 0-" + (numStates - 1)
                    + " (0 = before the first transformer layer, " + (numStates - 1) + " = last layer)");
        }
        return indices.clone();
    }

    @Override
    public String toString() {
        return text;
    }

    /** picocli hook so that syntax errors are reported as usage errors. */
    public static final class Converter implements ITypeConverter<LayerSpec> {
        @Override
        public LayerSpec convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
