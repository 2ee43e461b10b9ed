package org.nabla;

import java.util.Locale;

/**
 * The element type of a tensor. Each dtype names the Java array that backs it on the CPU, so kernels can switch on
 * {@link #storage()}; float16/bfloat16 would be stored as {@code short[]} and string as {@code Object[]}.
 */
public enum DType {
    FLOAT32("float32", 4, Storage.FLOAT),
    FLOAT64("float64", 8, Storage.DOUBLE),
    INT32("int32", 4, Storage.INT),
    INT64("int64", 8, Storage.LONG),
    UINT8("uint8", 1, Storage.BYTE),
    BOOL("bool", 1, Storage.BYTE);

    /** The Java primitive array kind that holds the elements of a CPU tensor of this dtype. */
    public enum Storage { FLOAT, DOUBLE, INT, LONG, BYTE }

    private static final DType[] VALUES = values();

    private final String pythonName;
    private final int byteSize;
    private final Storage storage;

    DType(String pythonName, int byteSize, Storage storage) {
        this.pythonName = pythonName;
        this.byteSize = byteSize;
        this.storage = storage;
    }

    /** The TensorFlow/NumPy spelling, e.g. {@code float32}. */
    public String pythonName() { return pythonName; }

    public int byteSize() { return byteSize; }

    public Storage storage() { return storage; }

    public boolean isFloating() { return this == FLOAT32 || this == FLOAT64; }

    public boolean isInteger() { return this == INT32 || this == INT64 || this == UINT8; }

    /** Floating or integer: the dtypes arithmetic accepts. */
    public boolean isNumeric() { return this != BOOL; }

    /** Parses {@code float32}, {@code FLOAT32}, {@code int64}... */
    public static DType of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (DType d : VALUES) {
            if (d.pythonName.equals(lower) || d.name().equalsIgnoreCase(name)) return d;
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "', expected one of float32, float64, int32, "
                + "int64, uint8, bool");
    }

    /** All dtypes, without the defensive copy {@code values()} makes. */
    static DType byOrdinal(int ordinal) { return VALUES[ordinal]; }

    @Override
    public String toString() { return pythonName; }
}
