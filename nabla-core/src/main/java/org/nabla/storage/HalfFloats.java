package org.nabla.storage;

import org.nabla.DType;

/**
 * Conversions between the 16-bit float dtypes (float16, bfloat16; their bits held in a {@code short}) and float32 or
 * float64. Narrowing rounds to nearest, ties to even, as IEEE 754, NumPy and ml_dtypes do: values past the largest
 * finite 16-bit value round to infinity, tiny values to subnormals or signed zero, NaN stays NaN (quiet). A float64
 * narrows to float16 in one rounding, as NumPy does (through a round-to-odd float32, which keeps enough bits for the
 * 16-bit result); to bfloat16 it goes through float32, as ml_dtypes and TensorFlow do (bfloat16 is "a float32 with
 * the low 16 bits rounded off", so a float64 can round twice: 1 + 2^-8 + 2^-40 gives 1).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float32 value of 16-bit float {@code bits} of {@code dtype} (exact: every 16-bit float is a float32). */
    public static float toFloat(DType dtype, short bits) {
        return dtype == DType.BFLOAT16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }

    /** {@code v} rounded to the nearest 16-bit float of {@code dtype}, as its bits. */
    public static short fromFloat(DType dtype, float v) {
        return dtype == DType.BFLOAT16 ? floatToBfloat16(v) : Float.floatToFloat16(v);
    }

    /** {@code v} rounded to a 16-bit float of {@code dtype}, as its bits (see the class comment for bfloat16). */
    public static short fromDouble(DType dtype, double v) {
        return dtype == DType.BFLOAT16 ? floatToBfloat16((float) v) : Float.floatToFloat16(roundToOdd(v));
    }

    /** bfloat16 bits of {@code v}, rounded to nearest even; NaN stays NaN (quietened, sign kept). */
    public static short floatToBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    /**
     * {@code v} as the float32 next to it whose last mantissa bit is odd when the conversion is inexact ("round to
     * odd"): a float32 keeps 13 more bits than a 16-bit float, so rounding it to nearest-even gives the same result as
     * rounding {@code v} directly.
     */
    static float roundToOdd(double v) {
        float f = (float) v;
        if ((double) f == v || Double.isNaN(v) || (Float.floatToRawIntBits(f) & 1) != 0) return f;
        return Math.nextAfter(f, v);
    }

    /** Dense 16-bit floats of {@code dtype} widened to a new float32 array. */
    public static float[] widen(DType dtype, short[] src, int n) {
        float[] out = new float[n];
        widen(dtype, src, out, 0, n);
        return out;
    }

    /** Dense float32 values rounded to 16-bit floats of {@code dtype}, into a new array. */
    public static short[] narrow(DType dtype, float[] src, int n) {
        short[] out = new short[n];
        narrow(dtype, src, out, 0, n);
        return out;
    }

    /** {@code dst[i] = src[i]} widened, for {@code from <= i < end}. */
    public static void widen(DType dtype, short[] src, float[] dst, int from, int end) {
        if (dtype == DType.BFLOAT16) {
            for (int i = from; i < end; i++) dst[i] = Float.intBitsToFloat(src[i] << 16);
        } else {
            for (int i = from; i < end; i++) dst[i] = Float.float16ToFloat(src[i]);
        }
    }

    /** {@code dst[i] = src[i]} rounded to {@code dtype}, for {@code from <= i < end}. */
    public static void narrow(DType dtype, float[] src, short[] dst, int from, int end) {
        if (dtype == DType.BFLOAT16) {
            for (int i = from; i < end; i++) dst[i] = floatToBfloat16(src[i]);
        } else {
            for (int i = from; i < end; i++) dst[i] = Float.floatToFloat16(src[i]);
        }
    }
}
