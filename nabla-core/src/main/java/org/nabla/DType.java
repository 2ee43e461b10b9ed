package org.nabla;

import java.util.Locale;

/**
 * The element type of a tensor. Each dtype names the Java array that backs it on the CPU, so kernels can switch on
 * {@link #storage()}; float16/bfloat16 would be stored as {@code short[]} and string as {@code Object[]}. Unsigned
 * dtypes share the array of the signed dtype of their width and read it with a mask ({@code & 0xff}, {@code & 0xffff},
 * {@code & 0xffffffffL}); uint64 keeps the bits in a {@code long} and compares, divides and prints them unsigned.
 * New constants go at the end, so listings keep their order. Nabla's files (graph files, checkpoints, saved models)
 * store each dtype as its {@link #fileCode()}, never its ordinal: the codes below are that format's one table, and a
 * new dtype takes the next unused code.
 */
public enum DType {
    FLOAT32("float32", 4, Storage.FLOAT, 1),
    FLOAT64("float64", 8, Storage.DOUBLE, 2),
    INT32("int32", 4, Storage.INT, 3),
    INT64("int64", 8, Storage.LONG, 4),
    UINT8("uint8", 1, Storage.BYTE, 5),
    BOOL("bool", 1, Storage.BYTE, 6),
    INT8("int8", 1, Storage.BYTE, 7),
    INT16("int16", 2, Storage.SHORT, 8),
    UINT16("uint16", 2, Storage.SHORT, 9),
    UINT32("uint32", 4, Storage.INT, 10),
    UINT64("uint64", 8, Storage.LONG, 11);

    /** The Java primitive array kind that holds the elements of a CPU tensor of this dtype. */
    public enum Storage {
        FLOAT(4), DOUBLE(8), INT(4), LONG(8), BYTE(1), SHORT(2);

        private final int bytes;

        Storage(int bytes) { this.bytes = bytes; }

        /** Bytes per element of the backing Java array. */
        public int bytes() { return bytes; }
    }

    private static final DType[] VALUES = values();

    private final String pythonName;
    private final int byteSize;
    private final Storage storage;
    private final int fileCode;

    DType(String pythonName, int byteSize, Storage storage, int fileCode) {
        this.pythonName = pythonName;
        this.byteSize = byteSize;
        this.storage = storage;
        this.fileCode = fileCode;
    }

    /** The TensorFlow/NumPy spelling, e.g. {@code float32}. */
    public String pythonName() { return pythonName; }

    public int byteSize() { return byteSize; }

    public Storage storage() { return storage; }

    public boolean isFloating() { return this == FLOAT32 || this == FLOAT64; }

    public boolean isInteger() { return !isFloating() && this != BOOL; }

    /** uint8, uint16, uint32 and uint64: integers whose stored bits read as non-negative values. */
    public boolean isUnsigned() { return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64; }

    /**
     * For an integer dtype, the mask that turns its storage element, widened to long by Java's sign extension, into
     * its value: {@code 0xff} for uint8, {@code 0xffff} for uint16, {@code 0xffffffffL} for uint32 and -1 (all bits)
     * for signed dtypes and uint64 (whose values beyond Long.MAX_VALUE the long holds as negative bit patterns).
     */
    public long valueMask() {
        return switch (this) {
            case UINT8 -> 0xffL;
            case UINT16 -> 0xffffL;
            case UINT32 -> 0xffffffffL;
            default -> -1L;
        };
    }

    /** Floating or integer: the dtypes arithmetic accepts. */
    public boolean isNumeric() { return this != BOOL; }

    /** Parses {@code float32}, {@code FLOAT32}, {@code int64}... */
    public static DType of(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (DType d : VALUES) {
            if (d.pythonName.equals(lower) || d.name().equalsIgnoreCase(name)) return d;
        }
        StringBuilder names = new StringBuilder();
        for (DType d : VALUES) names.append(names.isEmpty() ? "" : ", ").append(d.pythonName);
        throw new IllegalArgumentException("unknown dtype '" + name + "', expected one of " + names);
    }

    /**
     * The one-byte code that stands for this dtype in Nabla's graph files and checkpoints (docs/graph-format.md,
     * docs/checkpoint-format.md); stable across releases, whatever the order of the constants.
     */
    public int fileCode() { return fileCode; }

    /**
     * The dtype stored as {@code code} in a Nabla file. Fails with an {@link IllegalArgumentException} that names the
     * code and the known ones, for the reader to prefix with the file and place.
     */
    public static DType fromFileCode(int code) {
        for (DType d : VALUES) if (d.fileCode == code) return d;
        StringBuilder known = new StringBuilder();
        for (DType d : VALUES) known.append(known.isEmpty() ? "" : ", ").append(d.fileCode).append(' ').append(d);
        throw new IllegalArgumentException("unknown dtype code " + code + " (known codes: " + known + ")");
    }

    /** All dtypes, without the defensive copy {@code values()} makes. */
    static DType byOrdinal(int ordinal) { return VALUES[ordinal]; }

    @Override
    public String toString() { return pythonName; }
}
