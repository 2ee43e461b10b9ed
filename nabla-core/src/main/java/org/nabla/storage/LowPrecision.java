package org.nabla.storage;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.nabla.DType;

/**
 * Conversions of the low-precision dtypes ({@link DType#isLowPrecision()}), one element per byte. Floats (float8,
 * float4) decode through a table built from their bit layout and encode by rounding to the nearest representable
 * value, ties to the even code, as ONNX and ml_dtypes define: a value beyond the largest finite one becomes infinity
 * (e5m2) or NaN (the finite-only float8s) unless it rounds to the largest, and float4, which has neither, saturates.
 * Integers (int4, uint4, int2, uint2) keep the low bits of the integer, as a C cast does; in memory int4 and int2 are
 * sign-extended, uint4 and uint2 zero-extended.
 */
public final class LowPrecision {
    /** How a format spends its top codes. */
    private enum Specials { IEEE, FINITE_NAN_ALL_ONES, FINITE_NAN_NEGATIVE_ZERO, FINITE }

    /** A float format: total bits, exponent bits, mantissa bits, exponent bias and its special values. */
    private record Format(int bits, int exponent, int mantissa, int bias, Specials specials, float[] decode,
                          double[] positives, int[] positiveCodes) {
        int signBit() { return 1 << (bits - 1); }
    }

    private static final Map<DType, Format> FLOATS = new EnumMap<>(DType.class);

    static {
        FLOATS.put(DType.FLOAT8E4M3FN, format(8, 4, 3, 7, Specials.FINITE_NAN_ALL_ONES));
        FLOATS.put(DType.FLOAT8E4M3FNUZ, format(8, 4, 3, 8, Specials.FINITE_NAN_NEGATIVE_ZERO));
        FLOATS.put(DType.FLOAT8E5M2, format(8, 5, 2, 15, Specials.IEEE));
        FLOATS.put(DType.FLOAT8E5M2FNUZ, format(8, 5, 2, 16, Specials.FINITE_NAN_NEGATIVE_ZERO));
        FLOATS.put(DType.FLOAT4E2M1, format(4, 2, 1, 1, Specials.FINITE));
    }

    private LowPrecision() {}

    private static Format format(int bits, int exponent, int mantissa, int bias, Specials specials) {
        int codes = 1 << bits;
        float[] decode = new float[codes];
        for (int c = 0; c < codes; c++) decode[c] = decode(c, bits, exponent, mantissa, bias, specials);
        // the non-negative finite values in increasing order with their codes (codes below the sign bit increase)
        int half = codes / 2, count = 0;
        double[] positives = new double[half];
        int[] positiveCodes = new int[half];
        for (int c = 0; c < half; c++) {
            if (Float.isFinite(decode[c])) {
                positives[count] = decode[c];
                positiveCodes[count++] = c;
            }
        }
        return new Format(bits, exponent, mantissa, bias, specials, decode, Arrays.copyOf(positives, count),
                Arrays.copyOf(positiveCodes, count));
    }

    private static float decode(int c, int bits, int exponent, int mantissa, int bias, Specials specials) {
        int sign = c >> (bits - 1) & 1, e = c >> mantissa & ((1 << exponent) - 1), m = c & ((1 << mantissa) - 1);
        int allOnes = (1 << exponent) - 1;
        switch (specials) {
            case IEEE -> {
                if (e == allOnes && m != 0) return Float.NaN;
                if (e == allOnes) return sign == 1 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            }
            case FINITE_NAN_ALL_ONES -> {
                if (e == allOnes && m == (1 << mantissa) - 1) return Float.NaN;
            }
            case FINITE_NAN_NEGATIVE_ZERO -> {
                if (c == 1 << (bits - 1)) return Float.NaN;
            }
            case FINITE -> { }
        }
        double v = e == 0 ? m * Math.pow(2, 1 - bias - mantissa) // subnormal
                : (1 + m / (double) (1 << mantissa)) * Math.pow(2, e - bias);
        return (float) (sign == 1 ? -v : v);
    }

    /** The value of low-precision float bits {@code b} (float8 or float4) as float32, exactly. */
    public static float toFloat(DType dtype, byte b) {
        Format f = FLOATS.get(dtype);
        if (f == null) throw new IllegalArgumentException(dtype + " is not a low-precision float");
        return f.decode[b & ((1 << f.bits) - 1)];
    }

    /** The largest finite value of low-precision float {@code dtype} (448 for float8_e4m3fn). */
    public static double maxFinite(DType dtype) {
        Format f = FLOATS.get(dtype);
        if (f == null) throw new IllegalArgumentException(dtype + " is not a low-precision float");
        return f.positives[f.positives.length - 1];
    }

    /**
     * {@code v} as {@code dtype}: for a low-precision float the nearest value's bits (ties to the even code; beyond
     * the range infinity, NaN or for float4 the largest value, as the class comment says); for int4/uint4/int2/uint2
     * the truncated integer's low bits, sign- or zero-extended into the byte.
     */
    public static byte fromDouble(DType dtype, double v) {
        Format f = FLOATS.get(dtype);
        if (f == null) return fromLong(dtype, (long) v);
        return encode(f, v);
    }

    /** The integer {@code v} as int4/uint4/int2/uint2: its low 4 or 2 bits, extended by the dtype's sign. */
    public static byte fromLong(DType dtype, long v) {
        return switch (dtype) {
            case INT4 -> (byte) (v << 60 >> 60);
            case UINT4 -> (byte) (v & 0xf);
            case INT2 -> (byte) (v << 62 >> 62);
            case UINT2 -> (byte) (v & 0x3);
            default -> throw new IllegalArgumentException(dtype + " is not a low-precision integer");
        };
    }

    private static byte encode(Format f, double v) {
        int sign = f.signBit();
        boolean negative = Double.doubleToRawLongBits(v) < 0;
        if (Double.isNaN(v)) return (byte) nan(f, negative);
        double a = Math.abs(v);
        double[] p = f.positives;
        double max = p[p.length - 1];
        int code;
        if (a > max) {
            // round as if the format went on (the next value is max + ulp(max)); what rounds past max overflows
            int maxCode = f.positiveCodes[p.length - 1];
            double ulp = Math.pow(2, Math.getExponent(max) - f.mantissa);
            double mid = max + ulp / 2;
            boolean toMax = a < mid || a == mid && (maxCode & 1) == 0;
            if (toMax || f.specials == Specials.FINITE) {
                code = maxCode;
            } else if (f.specials == Specials.IEEE) {
                code = ((1 << f.exponent) - 1) << f.mantissa; // infinity
            } else {
                return (byte) nan(f, negative);
            }
        } else {
            int hi = Arrays.binarySearch(p, a);
            if (hi >= 0) {
                code = f.positiveCodes[hi];
            } else {
                hi = -hi - 1; // p[hi - 1] < a < p[hi]
                double mid = (p[hi - 1] + p[hi]) / 2;
                int loCode = f.positiveCodes[hi - 1], upCode = f.positiveCodes[hi];
                code = a < mid ? loCode : a > mid ? upCode : (loCode & 1) == 0 ? loCode : upCode;
            }
        }
        // the fnuz formats have no negative zero (its code is their NaN)
        if (negative && !(code == 0 && f.specials == Specials.FINITE_NAN_NEGATIVE_ZERO)) code |= sign;
        return (byte) code;
    }

    /**
     * The code a NaN converts to, as ml_dtypes gives it: e4m3fn's S.1111.111 and e5m2's quiet S.11111.10 keep the
     * sign; the fnuz formats have the one NaN 0x80; float4, which has none, gives negative zero.
     */
    private static int nan(Format f, boolean negative) {
        int signed = negative ? f.signBit() : 0;
        return switch (f.specials) {
            case FINITE_NAN_ALL_ONES -> signed | (f.signBit() - 1);
            case IEEE -> signed | ((1 << f.exponent) - 1) << f.mantissa | 1 << (f.mantissa - 1);
            case FINITE_NAN_NEGATIVE_ZERO, FINITE -> f.signBit();
        };
    }
}
