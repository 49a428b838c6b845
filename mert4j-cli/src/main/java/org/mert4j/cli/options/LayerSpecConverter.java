package org.mert4j.cli.options;

import org.mert4j.model.LayerSpec;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli hook for {@code --layers}, so that syntax errors are reported as usage errors. */
public final class LayerSpecConverter implements ITypeConverter<LayerSpec> {
    @Override
    public LayerSpec convert(String value) {
        try {
            return LayerSpec.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
