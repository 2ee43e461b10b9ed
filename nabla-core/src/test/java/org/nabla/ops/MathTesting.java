package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.storage.HalfFloats;
import org.nabla.Tensors;

/** Helpers for the math op tests: random tensors of every dtype and a plain-loop NumPy broadcasting reference. */
final class MathTesting {
    /** Every dtype that casts to and from numbers (all but string). */
    /** Every dtype but string, complex (ComplexReferenceTest) and the low-precision types (LowPrecisionReferenceTest). */
    static final DType[] NUMERIC_AND_BOOL = java.util.Arrays.stream(DType.values())
            .filter(d -> d != DType.STRING && !d.isComplex() && !d.isLowPrecision()).toArray(DType[]::new);

    static final DType[] NUMERIC = java.util.Arrays.stream(DType.values()).filter(d -> d.isNumeric() && !d.isComplex())
            .toArray(DType[]::new);

    private MathTesting() {}

    /**
     * Random values exactly representable in {@code dtype}: floats in [-5, 5), signed ints in [-50, 50], unsigned
     * ints in [0, 255].
     */
    static double[] randomValues(DType dtype, Random rnd, int n, boolean nonZero) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                v[i] = switch (dtype) {
                    case FLOAT32 -> (float) (rnd.nextDouble() * 10 - 5);
                    case FLOAT64 -> rnd.nextDouble() * 10 - 5;
                    case FLOAT16, BFLOAT16 -> HalfFloats.toFloat(dtype, HalfFloats.fromDouble(dtype, rnd.nextDouble() * 10 - 5));
                    case INT8, INT16, INT32, INT64 -> rnd.nextInt(101) - 50;
                    case UINT8, UINT16, UINT32, UINT64 -> rnd.nextInt(256);
                    case BOOL -> rnd.nextBoolean() ? 1 : 0;
                    case STRING -> throw new IllegalArgumentException("no numeric values for strings");
                    default -> throw new IllegalArgumentException("no random values for " + dtype);
                };
            } while (nonZero && v[i] == 0);
        }
        return v;
    }

    /** A dense tensor of {@code dtype} holding {@code values} (converted exactly for the dtypes used here). */
    static Tensor tensor(DType dtype, double[] values, int... shape) {
        int n = values.length;
        Object data = switch (dtype) {
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) values[i]; yield a; }
            case FLOAT64 -> values.clone();
            case INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (int) values[i]; yield a; }
            case INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = (long) values[i]; yield a; }
            case UINT8, BOOL, INT8 -> { byte[] a = new byte[n]; for (int i = 0; i < n; i++) a[i] = (byte) (long) values[i]; yield a; }
            case INT16, UINT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short) (long) values[i]; yield a; }
            case UINT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (int) (long) values[i]; yield a; }
            case UINT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = (long) values[i]; yield a; }
            case FLOAT16, BFLOAT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = HalfFloats.fromDouble(dtype, values[i]); yield a; }
            case STRING -> throw new IllegalArgumentException("no numeric values for strings");
            default -> throw new IllegalArgumentException("no test values for " + dtype);
        };
        return Tensor.wrap(dtype, Shape.of(shape), data);
    }

    /** {@code f(a, b)} with NumPy broadcasting, by explicit index arithmetic (independent of the kernels). */
    static double[] broadcastReference(DoubleBinaryOperator f, double[] a, int[] sa, double[] b, int[] sb, int[] so) {
        int n = 1;
        for (int d : so) n *= d;
        double[] out = new double[n];
        int[] index = new int[so.length];
        for (int flat = 0; flat < n; flat++) {
            int rem = flat;
            for (int k = so.length - 1; k >= 0; k--) {
                index[k] = rem % so[k];
                rem /= so[k];
            }
            out[flat] = f.applyAsDouble(a[position(index, sa)], b[position(index, sb)]);
        }
        return out;
    }

    /** The flat position in a row-major array of shape {@code s} of the output index, with broadcasting. */
    static int position(int[] outIndex, int[] s) {
        int pos = 0;
        int shift = outIndex.length - s.length;
        for (int k = 0; k < s.length; k++) pos = pos * s[k] + (s[k] == 1 ? 0 : outIndex[k + shift]);
        return pos;
    }

    /** Exact comparison of every element (NaN equals NaN; -0.0 equals 0.0). */
    static void assertValues(double[] expected, Tensor actual, DType dtype, int... shape) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape().dims(), () -> "shape " + actual.shape());
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "number of elements");
        for (int i = 0; i < got.length; i++) {
            if (!(expected[i] == got[i] || Double.isNaN(expected[i]) && Double.isNaN(got[i]))) {
                fail("element " + i + ": expected " + expected[i] + " but was " + got[i]);
            }
        }
    }

    /** Each float32 element within {@code ulps} float32 ulps of the float64 reference (NaN and infinities exact). */
    static void assertUlps(double[] expected, Tensor actual, double ulps) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "number of elements");
        for (int i = 0; i < got.length; i++) {
            double e = expected[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, got[i]) != 0) fail("element " + i + ": expected " + e + " but was " + got[i]);
                continue;
            }
            double tol = ulps * Math.ulp((float) e);
            if (!(Math.abs(got[i] - e) <= tol)) {
                fail("element " + i + ": expected " + e + " but was " + got[i] + " (" + Math.abs(got[i] - e)
                        / Math.ulp((float) e) + " ulps)");
            }
        }
    }

    /** A tensor with the given values as a transposed (strided) view: logical shape {@code [cols, rows]}. */
    static Tensor transposedView(DType dtype, double[] rowMajor, int rows, int cols) {
        return tensor(dtype, rowMajor, rows, cols).transpose();
    }

    /** The row-major values of the transpose of a {@code rows x cols} matrix. */
    static double[] transposeValues(double[] v, int rows, int cols) {
        double[] t = new double[v.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = v[i * cols + j];
        return t;
    }

    static Tensor scalar(DType dtype, double v) { return tensor(dtype, new double[] {v}); }

    static Tensor bools(boolean... v) { return Tensors.of(v); }
}
