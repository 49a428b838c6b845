package org.mert4j.io;

import java.util.Optional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types a checkpoint may store, with their safetensors names and libtorch scalar types. */
public enum DType {
    F32("F32", 4, ScalarType.Float),
    F16("F16", 2, ScalarType.Half),
    BF16("BF16", 2, ScalarType.BFloat16),
    F64("F64", 8, ScalarType.Double),
    I64("I64", 8, ScalarType.Long),
    I32("I32", 4, ScalarType.Int),
    I16("I16", 2, ScalarType.Short),
    I8("I8", 1, ScalarType.Char),
    U8("U8", 1, ScalarType.Byte),
    BOOL("BOOL", 1, ScalarType.Bool);

    private final String safetensorsName;
    private final int itemSize;
    private final ScalarType scalarType;

    DType(String safetensorsName, int itemSize, ScalarType scalarType) {
        this.safetensorsName = safetensorsName;
        this.itemSize = itemSize;
        this.scalarType = scalarType;
    }

    /** The dtype string used in safetensors headers, e.g. {@code "BF16"}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The matching libtorch scalar type. */
    public ScalarType scalarType() {
        return scalarType;
    }

    /** True for the floating types that readers widen to float32. */
    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Looks up a safetensors dtype string; empty when the name is not one of ours. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Maps a libtorch scalar type back; empty for types no checkpoint here uses (complex, quantised, ...). */
    public static Optional<DType> fromScalarType(ScalarType type) {
        for (DType d : values()) {
            // compare codes: enums returned by native calls are not always the interned constants
            if (type != null && d.scalarType.value == type.value) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
