package org.mert4j.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which hidden states to keep, as typed after {@code --layers}: {@code all}, a list {@code 0,6,12},
 * ranges {@code 3-5}, or a mix {@code 0,4-6}. Index 0 is the conv/projection output, index L the last
 * transformer layer; negative indices count back from the end as in Python ({@code -1} is the last
 * layer, {@code -3--1} the last three). The syntax is checked when parsing; the range once the model is known.
 */
public final class LayerSpec {
    public static final LayerSpec ALL = new LayerSpec("all", null);
    private static final Pattern ITEM = Pattern.compile("(-?\\d+)(?:\\s*-\\s*(-?\\d+))?");

    private record Item(int from, int to) {}

    private final String text;
    private final List<Item> items; // null: all hidden states

    private LayerSpec(String text, List<Item> items) {
        this.text = text;
        this.items = items;
    }

    public static LayerSpec parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--layers is empty: expected all, a list like 0,6,12, a range like 3-5"
                    + " or -1 for the last layer");
        }
        List<Item> items = new ArrayList<>();
        for (String part : t.split(",")) {
            String p = part.strip();
            Matcher m = ITEM.matcher(p);
            if (!m.matches()) {
                throw new IllegalArgumentException("--layers " + text + ": '" + p + "' is not a layer index or range;"
                        + " expected all, a list like 0,6,12, a range like 3-5 or -1 for the last layer");
            }
            try {
                int from = Integer.parseInt(m.group(1));
                int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
                if (m.group(2) != null && (from < 0) == (to < 0) && to < from) {
                    throw new IllegalArgumentException("--layers " + text + ": range '" + p
                            + "' must go from a smaller to a larger index");
                }
                items.add(new Item(from, to));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--layers " + text + ": '" + p + "' is out of range");
            }
        }
        return new LayerSpec(t, items);
    }

    /** Whether every hidden state is kept. */
    public boolean isAll() {
        return items == null;
    }

    /**
     * The indices for a model with {@code numStates} = L+1 hidden states, in the order typed, repeats
     * dropped, negative ones counted from the end.
     * @throws IllegalArgumentException naming the layer and the valid range when one is out of range
     */
    public int[] resolve(int numStates) {
        if (items == null) {
            int[] all = new int[numStates];
            for (int i = 0; i < numStates; i++) {
                all[i] = i;
            }
            return all;
        }
        Set<Integer> out = new LinkedHashSet<>();
        List<Integer> bad = new ArrayList<>();
        for (Item item : items) {
            int from = absolute(item.from(), numStates);
            int to = absolute(item.to(), numStates);
            if (from < 0 || from >= numStates || to < 0 || to >= numStates) {
                if (from < 0 || from >= numStates) {
                    bad.add(item.from());
                }
                if (to != from && (to < 0 || to >= numStates)) {
                    bad.add(item.to());
                }
                continue;
            }
            if (to < from) {
                throw new IllegalArgumentException("--layers " + text + ": range " + item.from() + "-" + item.to() + " goes from "
                        + from + " down to " + to + " on this model (hidden states 0-" + (numStates - 1) + ")");
            }
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("--layers " + text + ": " + (bad.size() == 1 ? "layer " + bad.get(0) + " does"
                    : "layers " + bad + " do") + " not exist; this model has hidden states 0-" + (numStates - 1)
                    + " (0 = before the first transformer layer, " + (numStates - 1) + " or -1 = last layer)");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A hidden-state index with negative values counted back from {@code numStates}, as Python indexes. */
    public static int absolute(int index, int numStates) {
        return index < 0 ? numStates + index : index;
    }

    @Override
    public String toString() {
        return text;
    }
}
