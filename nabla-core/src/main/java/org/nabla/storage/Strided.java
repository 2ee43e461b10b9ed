package org.nabla.storage;

import org.nabla.DType;

/**
 * Host memory (Java arrays) read through an offset and strides: allocation, dense copies of strided layouts, element
 * access and dtype conversion. Works on arrays only, so that tensors, kernels and file formats can all build on it.
 */
public final class Strided {
    private Strided() {}

    /**
     * The {@code n} elements of the layout ({@code offset}, {@code dims}, {@code strides}) of {@code src} as a new
     * dense array; {@code strides} null means dense from {@code offset}.
     */
    public static Object denseCopy(Object src, int offset, int[] dims, int[] strides, DType.Storage storage, int n) {
        if (storage == DType.Storage.COMPLEX64 || storage == DType.Storage.COMPLEX128) {
            return complexCopy(src, offset, dims, strides, storage, n);
        }
        Object dst = allocate(storage, n);
        if (strides == null) {
            System.arraycopy(src, offset, dst, 0, n);
        } else {
            gather(src, offset, dims, strides, dst);
        }
        return dst;
    }

    /** A new zeroed Java array of the given storage kind. */
    public static Object allocate(DType.Storage storage, int n) {
        return switch (storage) {
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            case INT -> new int[n];
            case LONG -> new long[n];
            case BYTE -> new byte[n];
            case SHORT -> new short[n];
            case STRING -> emptyStrings(n);
            case COMPLEX64 -> new float[2 * n];    // re, im pairs (ComplexParts)
            case COMPLEX128 -> new double[2 * n];
        };
    }

    /** {@link #denseCopy} for complex storage, whose offset and strides count elements of two array slots each. */
    private static Object complexCopy(Object src, int offset, int[] dims, int[] strides, DType.Storage storage, int n) {
        Object dst = allocate(storage, n);
        if (strides == null) {
            System.arraycopy(src, 2 * offset, dst, 0, 2 * n);
            return dst;
        }
        int rank = dims.length;
        int[] index = new int[rank];
        int pos = offset;
        for (int out = 0; out < n; out++) {
            System.arraycopy(src, 2 * pos, dst, 2 * out, 2);
            for (int axis = rank - 1; axis >= 0; axis--) {
                pos += strides[axis];
                if (++index[axis] < dims[axis]) break;
                pos -= strides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
        return dst;
    }

    /** The empty byte string that fills new string storage (shared: string elements are never written to). */
    public static final byte[] EMPTY_STRING = new byte[0];

    private static byte[][] emptyStrings(int n) {
        byte[][] a = new byte[n][];
        java.util.Arrays.fill(a, EMPTY_STRING);
        return a;
    }

    /** Copies elements of a strided layout into a dense array, row-major, innermost axis in a tight loop. */
    private static void gather(Object src, int offset, int[] dims, int[] strides, Object dst) {
        int rank = dims.length;
        int n = 1;
        for (int d : dims) n *= d;
        if (n == 0) return;
        if (rank == 0) {
            System.arraycopy(src, offset, dst, 0, 1);
            return;
        }
        int inner = dims[rank - 1];
        int innerStride = strides[rank - 1];
        if (innerStride != 1 && inner > 1) {
            for (int j = rank - 2; j >= 0; j--) {
                if (strides[j] == 1 && dims[j] > 1) {
                    // A transposed layout: copy in square tiles so reads and writes both stay in cache.
                    blockedGather(src, offset, dims, strides, dst, j);
                    return;
                }
            }
        }
        int[] index = new int[rank];
        int pos = offset;
        for (int out = 0; out < n; out += inner) {
            copyRow(src, pos, innerStride, dst, out, inner);
            for (int axis = rank - 2; axis >= 0; axis--) {
                pos += strides[axis];
                if (++index[axis] < dims[axis]) break;
                pos -= strides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
    }

    private static final int TILE = 32;

    /** Copies a layout whose source-contiguous axis {@code j} is not the output's innermost axis, tile by tile. */
    private static void blockedGather(Object src, int offset, int[] dims, int[] strides, Object dst, int j) {
        int rank = dims.length;
        int k = rank - 1;
        int[] outStrides = new int[rank];
        for (int i = rank - 1, s = 1; i >= 0; i--) {
            outStrides[i] = s;
            s *= dims[i];
        }
        int[] others = new int[rank - 2];
        for (int i = 0, o = 0; i < rank; i++) if (i != j && i != k) others[o++] = i;
        int[] index = new int[others.length];
        int srcBase = offset;
        int dstBase = 0;
        while (true) {
            for (int jb = 0; jb < dims[j]; jb += TILE) {
                int jEnd = Math.min(dims[j], jb + TILE);
                for (int kb = 0; kb < dims[k]; kb += TILE) {
                    int kEnd = Math.min(dims[k], kb + TILE);
                    for (int jj = jb; jj < jEnd; jj++) {
                        copyRow(src, srcBase + jj + kb * strides[k], strides[k], dst,
                                dstBase + jj * outStrides[j] + kb, kEnd - kb);
                    }
                }
            }
            int a = others.length - 1;
            for (; a >= 0; a--) {
                int axis = others[a];
                srcBase += strides[axis];
                dstBase += outStrides[axis];
                if (++index[a] < dims[axis]) break;
                srcBase -= strides[axis] * dims[axis];
                dstBase -= outStrides[axis] * dims[axis];
                index[a] = 0;
            }
            if (a < 0) return;
        }
    }

    private static void copyRow(Object src, int pos, int stride, Object dst, int out, int len) {
        if (stride == 1) {
            System.arraycopy(src, pos, dst, out, len);
            return;
        }
        switch (src) {
            case float[] s -> { float[] d = (float[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case double[] s -> { double[] d = (double[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case int[] s -> { int[] d = (int[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case long[] s -> { long[] d = (long[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case byte[] s -> { byte[] d = (byte[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case short[] s -> { short[] d = (short[]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            case byte[][] s -> { byte[][] d = (byte[][]) dst; for (int i = 0; i < len; i++) d[out + i] = s[pos + i * stride]; }
            default -> throw new IllegalStateException("unsupported storage " + src.getClass());
        }
    }

    /**
     * The first {@code n} elements of dense array {@code src} holding {@code dtype} values, as a fresh Java array of
     * the requested storage kind, converting
     * values: integers read by their dtype ({@link #readLong}), narrower integer storage keeps the low bits as a C
     * cast would, floats truncate toward zero, and to FLOAT/DOUBLE unsigned values convert as unsigned.
     */
    public static Object convert(Object src, int n, DType dtype, DType.Storage want) {
        if (dtype.isHalfPrecision() && want != DType.Storage.SHORT) return convertHalf((short[]) src, n, dtype, want);
        if (dtype.storage() == want) {
            Object copy = allocate(want, n);
            System.arraycopy(src, 0, copy, 0, java.lang.reflect.Array.getLength(copy));
            return copy;
        }
        if (want == DType.Storage.COMPLEX64 || want == DType.Storage.COMPLEX128) {
            DType complex = want == DType.Storage.COMPLEX64 ? DType.COMPLEX64 : DType.COMPLEX128;
            if (dtype.isComplex()) return ComplexParts.fromDoubles(complex, ComplexParts.toDoubles(src, n));
            return ComplexParts.join(complex, src, null, dtype, n);   // real to complex: imaginary parts 0 (tf.cast)
        }
        if (dtype.isComplex()) {
            // complex to real keeps the real part, as tf.cast and NumPy's astype do
            return convert(ComplexParts.part(src, n, false), n, dtype.realPart(), want);
        }
        if (dtype == DType.STRING || want == DType.Storage.STRING) {
            throw new IllegalArgumentException("cannot convert " + dtype + " values to " + want.name().toLowerCase()
                    + " storage: strings convert to and from numbers only by parsing and formatting (Strings.toNumber, "
                    + "Strings.asString)");
        }
        return switch (want) {
            case STRING, COMPLEX64, COMPLEX128 -> throw new AssertionError();
            case FLOAT -> { float[] d = new float[n]; for (int i = 0; i < n; i++) d[i] = readFloat(src, i, dtype); yield d; }
            case DOUBLE -> { double[] d = new double[n]; for (int i = 0; i < n; i++) d[i] = read(src, i, dtype); yield d; }
            case INT -> { int[] d = new int[n]; for (int i = 0; i < n; i++) d[i] = (int) readLong(src, i, dtype); yield d; }
            case LONG -> { long[] d = new long[n]; for (int i = 0; i < n; i++) d[i] = readLong(src, i, dtype); yield d; }
            case BYTE -> { byte[] d = new byte[n]; for (int i = 0; i < n; i++) d[i] = (byte) readLong(src, i, dtype); yield d; }
            case SHORT -> { short[] d = new short[n]; for (int i = 0; i < n; i++) d[i] = (short) readLong(src, i, dtype); yield d; }
        };
    }

    /** 16-bit floats converted by value ({@link #readLong} truncates toward zero, as from float32). */
    private static Object convertHalf(short[] src, int n, DType dtype, DType.Storage want) {
        float[] wide = HalfFloats.widen(dtype, src, n);
        return want == DType.Storage.FLOAT ? wide : convert(wide, n, DType.FLOAT32, want);
    }

    /** Element {@code i} of {@code src} (storage of {@code dtype}) as double; uint64 converts as unsigned. */
    public static double read(Object src, int i, DType dtype) {
        return switch (src) {
            case short[] s when dtype.isHalfPrecision() -> HalfFloats.toFloat(dtype, s[i]);
            case byte[] s when dtype.isLowPrecisionFloat() -> LowPrecision.toFloat(dtype, s[i]);
            case float[] s -> s[i];
            case double[] s -> s[i];
            case long[] s -> dtype == DType.UINT64 ? unsignedToDouble(s[i]) : s[i];
            default -> readLong(src, i, dtype);
        };
    }

    private static float readFloat(Object src, int i, DType dtype) {
        return switch (src) {
            case short[] s when dtype.isHalfPrecision() -> HalfFloats.toFloat(dtype, s[i]);
            case byte[] s when dtype.isLowPrecisionFloat() -> LowPrecision.toFloat(dtype, s[i]);
            case float[] s -> s[i];
            case double[] s -> (float) s[i];
            case long[] s -> dtype == DType.UINT64 ? unsignedToFloat(s[i]) : s[i];
            default -> readLong(src, i, dtype);
        };
    }

    /**
     * Element {@code i} as long: integers by value (uint8/uint16/uint32 zero-extended, uint64 as its bits), bool 0/1,
     * floats (16-bit ones too) truncated toward zero (saturating, NaN to 0, as Java's cast).
     */
    public static long readLong(Object src, int i, DType dtype) {
        return switch (src) {
            case float[] s -> (long) s[i];
            case double[] s -> (long) s[i];
            case int[] s -> s[i] & dtype.valueMask();
            case long[] s -> s[i];
            case byte[] s when dtype.isLowPrecisionFloat() -> (long) LowPrecision.toFloat(dtype, s[i]);
            case byte[] s -> s[i] & dtype.valueMask();
            case short[] s when dtype.isHalfPrecision() -> (long) HalfFloats.toFloat(dtype, s[i]);
            case short[] s -> s[i] & dtype.valueMask();
            case byte[][] s -> throw new IllegalArgumentException("a string tensor has no numeric value: parse it "
                    + "with Strings.toNumber");
            default -> throw new IllegalStateException("unsupported storage " + src.getClass());
        };
    }

    /** A uint64 value held in a long's bits, as the nearest double (Long.MAX_VALUE + 1 and up included). */
    public static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        return (double) ((v >>> 1) | (v & 1)) * 2.0; // halve keeping the sticky bit, so rounding happens once
    }

    /** A uint64 value held in a long's bits, as the nearest float. */
    public static float unsignedToFloat(long v) {
        if (v >= 0) return v;
        return (float) ((v >>> 1) | (v & 1)) * 2.0f;
    }

    /**
     * A double truncated toward zero into uint64 bits: values from 2^63 to 2^64 keep their unsigned meaning; negative
     * and NaN values go through Java's (saturating) long cast, as other out-of-range float to integer casts do.
     */
    public static long doubleToUnsigned(double d) {
        return d >= 0x1p63 ? d >= 0x1p64 ? -1L : (long) (d - 0x1p63) ^ Long.MIN_VALUE : (long) d;
    }
}
