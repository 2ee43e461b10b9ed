package org.nabla;

import java.util.Locale;

/**
 * The element type of a tensor. Each dtype names the Java array that backs it on the CPU, so kernels can switch on
 * {@link #storage()}; float16 and bfloat16 keep their bits in a {@code short[]} (see {@link #isHalfPrecision()});
 * string is stored as {@code byte[][]}; complex64 and complex128 as re, im pairs in a {@code float[]} or
 * {@code double[]} twice the size. Unsigned dtypes share the array of the signed dtype of their width and read it with a mask ({@code & 0xff}, {@code & 0xffff},
 * {@code & 0xffffffffL}); uint64 keeps the bits in a {@code long} and compares, divides and prints them unsigned.
 * New constants go at the end, so listings keep their order. Nabla's files (graph files, checkpoints, saved models)
 * store each dtype as its {@link #fileCode()}, never its ordinal: the codes below are that format's one table, and a
 * new dtype takes the next unused code.
 */
public enum DType {
    /** 32-bit IEEE float, the default for weights and data ({@code float[]}). */
    FLOAT32("float32", 4, Storage.FLOAT, 1),
    /** 64-bit IEEE float ({@code double[]}). */
    FLOAT64("float64", 8, Storage.DOUBLE, 2),
    /** 32-bit signed integer ({@code int[]}). */
    INT32("int32", 4, Storage.INT, 3),
    /** 64-bit signed integer ({@code long[]}); the type of indices from argmax. */
    INT64("int64", 8, Storage.LONG, 4),
    /** 8-bit unsigned integer, 0..255 (pixels; {@code byte[]} read with a mask). */
    UINT8("uint8", 1, Storage.BYTE, 5),
    /** true/false, stored as 0/1 bytes; the result of comparisons. */
    BOOL("bool", 1, Storage.BYTE, 6),
    /** 8-bit signed integer ({@code byte[]}). */
    INT8("int8", 1, Storage.BYTE, 7),
    /** 16-bit signed integer ({@code short[]}). */
    INT16("int16", 2, Storage.SHORT, 8),
    /** 16-bit unsigned integer ({@code short[]} read with a mask). */
    UINT16("uint16", 2, Storage.SHORT, 9),
    /** 32-bit unsigned integer ({@code int[]} read with a mask). */
    UINT32("uint32", 4, Storage.INT, 10),
    /** 64-bit unsigned integer ({@code long[]}, compared, divided and printed unsigned). */
    UINT64("uint64", 8, Storage.LONG, 11),
    /**
     * 16-bit IEEE half-precision float ({@code short[]} holding the bits; 10-bit mantissa, largest finite 65504).
     * Kernels compute in float32 and round each result once to float16.
     */
    FLOAT16("float16", 2, Storage.SHORT, 12),
    /**
     * Google Brain's 16-bit float: the upper half of a float32 ({@code short[]} holding the bits; float32's range,
     * 7-bit mantissa). Kernels compute in float32 and round each result once to bfloat16.
     */
    BFLOAT16("bfloat16", 2, Storage.SHORT, 13),
    /**
     * A byte string per element (TensorFlow's {@code tf.string}: bytes, UTF-8 by convention, each element its own
     * length; {@code byte[][]}). Not numeric: only data movement, comparison for equality and the
     * {@code org.nabla.strings} ops take it. Its {@link #byteSize()} is 0, as TensorFlow's DataTypeSize: the size
     * varies per element.
     */
    STRING("string", 0, Storage.STRING, 14),
    /**
     * A complex number of two float32 parts ({@code float[]} of twice the size holding re, im pairs). Interleaved
     * pairs, as NumPy, TensorFlow and ONNX lay complex numbers out in memory, so files and element order need no
     * reshuffling and one element stays in one cache line.
     */
    COMPLEX64("complex64", 8, Storage.COMPLEX64, 15),
    /** A complex number of two float64 parts ({@code double[]} of twice the size holding re, im pairs). */
    COMPLEX128("complex128", 16, Storage.COMPLEX128, 16),
    /**
     * 8-bit float, 4 exponent and 3 mantissa bits, finite only (no infinity; NaN is S.1111.111; largest 448), as in
     * ONNX and ml_dtypes. Like the other low-precision dtypes ({@link #isLowPrecision()}) a storage type: one byte
     * per element, converted by {@code Cast} (round to nearest even) and computed on after a cast to float32.
     */
    FLOAT8E4M3FN("float8_e4m3fn", 1, Storage.BYTE, 17),
    /** 8-bit float like {@link #FLOAT8E4M3FN} with bias 8, no negative zero and 0x80 as its NaN (largest 240). */
    FLOAT8E4M3FNUZ("float8_e4m3fnuz", 1, Storage.BYTE, 18),
    /** 8-bit float, 5 exponent and 2 mantissa bits, IEEE-like with infinities and NaNs (largest finite 57344). */
    FLOAT8E5M2("float8_e5m2", 1, Storage.BYTE, 19),
    /** 8-bit float like {@link #FLOAT8E5M2} with exponent bias 16, no infinities, no negative zero, NaN 0x80. */
    FLOAT8E5M2FNUZ("float8_e5m2fnuz", 1, Storage.BYTE, 20),
    /** 4-bit unsigned integer, 0..15 (one element per byte in memory; ONNX files pack two per byte). */
    UINT4("uint4", 1, Storage.BYTE, 21),
    /** 4-bit signed integer, -8..7 (one element per byte, sign-extended, in memory). */
    INT4("int4", 1, Storage.BYTE, 22),
    /** 4-bit float, 2 exponent bits and 1 mantissa bit, finite only (0, 0.5, 1, 1.5, 2, 3, 4, 6 and negatives). */
    FLOAT4E2M1("float4_e2m1fn", 1, Storage.BYTE, 23),
    /** 2-bit unsigned integer, 0..3 (one element per byte in memory). */
    UINT2("uint2", 1, Storage.BYTE, 24),
    /** 2-bit signed integer, -2..1 (one element per byte, sign-extended, in memory). */
    INT2("int2", 1, Storage.BYTE, 25);

    /** The Java primitive array kind that holds the elements of a CPU tensor of this dtype. */
    public enum Storage {
        /** {@code float[]}. */
        FLOAT(4),
        /** {@code double[]}. */
        DOUBLE(8),
        /** {@code int[]}. */
        INT(4),
        /** {@code long[]}. */
        LONG(8),
        /** {@code byte[]}. */
        BYTE(1),
        /** {@code short[]}. */
        SHORT(2),
        /** {@code byte[][]}: one byte string per element; the arrays are immutable once in a tensor. */
        STRING(8),
        /** {@code float[]} of twice the element count: re, im pairs (complex64). */
        COMPLEX64(8),
        /** {@code double[]} of twice the element count: re, im pairs (complex128). */
        COMPLEX128(16);

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

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    /** The Java array type that holds its elements. */
    public Storage storage() { return storage; }

    /** Whether it is a floating dtype: float16, bfloat16, float32 or float64. */
    public boolean isFloating() { return this == FLOAT32 || this == FLOAT64 || isHalfPrecision(); }

    /**
     * float16 and bfloat16: 16-bit floats stored as their bits in a {@code short[]}, widened to float32 for
     * arithmetic (see {@code org.nabla.storage.HalfFloats}).
     */
    public boolean isHalfPrecision() { return this == FLOAT16 || this == BFLOAT16; }

    /** Whether it is a signed or unsigned integer type (not bool, floating, string, complex, low-precision). */
    public boolean isInteger() {
        return !isFloating() && this != BOOL && this != STRING && !isComplex() && !isLowPrecision();
    }

    /** complex64 and complex128 (numeric, not floating, as in TensorFlow). */
    public boolean isComplex() { return this == COMPLEX64 || this == COMPLEX128; }

    /** The dtype of a complex dtype's real and imaginary parts (float32 or float64); throws for other dtypes. */
    public DType realPart() {
        return switch (this) {
            case COMPLEX64 -> FLOAT32;
            case COMPLEX128 -> FLOAT64;
            default -> throw new IllegalArgumentException(this + " is not a complex dtype");
        };
    }

    /** The complex dtype whose parts are this float32 or float64 dtype; throws for other dtypes. */
    public DType complexOf() {
        return switch (this) {
            case FLOAT32 -> COMPLEX64;
            case FLOAT64 -> COMPLEX128;
            default -> throw new IllegalArgumentException("no complex dtype has " + this + " parts (float32 or "
                    + "float64 only)");
        };
    }

    /**
     * The float8, float4, int4/uint4 and int2/uint2 dtypes: storage types of one byte per element whose values
     * {@code Cast} converts to and from every numeric dtype and data movement carries; arithmetic takes them after a
     * cast to float32 (as PyTorch's float8 tensors). Not {@link #isNumeric()}, {@link #isFloating()} or
     * {@link #isInteger()}, so kernels registered for those leave them out.
     */
    public boolean isLowPrecision() { return fileCode >= 17 && fileCode <= 25; }

    /** The float8 and float4 dtypes: low-precision floats, stored as their bits in a byte. */
    public boolean isLowPrecisionFloat() {
        return this == FLOAT8E4M3FN || this == FLOAT8E4M3FNUZ || this == FLOAT8E5M2 || this == FLOAT8E5M2FNUZ
                || this == FLOAT4E2M1;
    }

    /** Whether it is the byte-string dtype. */
    public boolean isString() { return this == STRING; }

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
            case UINT4, UINT2 -> 0xffL;
            default -> -1L;
        };
    }

    /**
     * The largest finite value of a low-precision float (448 for float8_e4m3fn, 57344 for float8_e5m2, 6 for
     * float4_e2m1fn): where a saturating conversion clips. Throws for other dtypes.
     */
    public double maxFinite() { return org.nabla.storage.LowPrecision.maxFinite(this); }

    /** Floating, integer or complex: the dtypes arithmetic accepts (kernels say which of them they serve). */
    public boolean isNumeric() { return this != BOOL && this != STRING && !isLowPrecision(); }

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
