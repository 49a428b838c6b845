package org.mert4j.cli.options;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --window}: a positive number of seconds, or {@code none} (returned as 0) for the whole clip at once. */
public final class WindowConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("none") || v.equals("0")) {
            return 0.0;
        }
        double s;
        try {
            s = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("--window " + value + ": expected seconds (e.g. 5) or none");
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new TypeConversionException("--window " + value + ": must be a positive number of seconds, or none");
        }
        return s;
    }

    /** How a window length is shown in metadata and messages. */
    public static String describe(double seconds) {
        return org.mert4j.model.EmbeddingInfo.describeWindow(seconds);
    }
}
