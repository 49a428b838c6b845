package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A value of a closed set that config files name by a string ({@code group}, {@code log}, {@code fp32}): an enum
 * constant read once from that string and written back as the same string, its name in lower case.
 */
public interface ConfigName {

    /** The constant's name, as every enum has it. */
    String name();

    /** The string config files use for this value: the constant's name in lower case. */
    @JsonValue
    default String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} named {@code value}; otherwise an error naming the key, the value and the names. */
    static <E extends Enum<E> & ConfigName> E parse(String key, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.configName().equals(value)) {
                return e;
            }
        }
        throw new ConfigException(key + " '" + value + "' is not accepted; accepted: "
                + String.join(", ", names(type)));
    }

    /** Every name {@link #parse} accepts, in declaration order. */
    static <E extends Enum<E> & ConfigName> List<String> names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.configName());
        }
        return names;
    }
}
