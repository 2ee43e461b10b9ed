package org.nabla.properties;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/** Shapes and tensors for the property tests: small ranks and dims (zero-size dims included), any bits per dtype. */
final class RandomTensors {
    private RandomTensors() {}

    /** Shapes of rank 0 to {@code maxRank}, each dim in [minDim, maxDim]. */
    static Arbitrary<int[]> shapes(int maxRank, int minDim, int maxDim) {
        return Arbitraries.integers().between(minDim, maxDim).array(int[].class).ofMinSize(0).ofMaxSize(maxRank);
    }

    /** A tensor of {@code dtype} and {@code shape} whose elements are random bits valid for the dtype. */
    static Tensor random(DType dtype, int[] shape, long seed) {
        Random rnd = new Random(seed);
        int n = Math.toIntExact(Shape.of(shape).size());
        Object data = switch (dtype.storage()) {
            case FLOAT -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = rnd.nextInt(8) == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextGaussian();
                yield a;
            }
            case DOUBLE -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = rnd.nextInt(8) == 0 ? Double.longBitsToDouble(rnd.nextLong()) : rnd.nextGaussian();
                yield a;
            }
            case INT -> rnd.ints(n).toArray();
            case LONG -> rnd.longs(n).toArray();
            case SHORT -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) a[i] = (short) rnd.nextInt();
                yield a;
            }
            case BYTE -> {
                byte[] a = new byte[n];
                rnd.nextBytes(a);
                if (dtype == DType.BOOL) for (int i = 0; i < n; i++) a[i] &= 1;
                yield a;
            }
        };
        return Tensor.wrap(dtype, Shape.of(shape), data);
    }

    /** Row-major strides of {@code shape}. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    static int[] index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    /** Every element's raw bits (NaN payloads included), whatever the dtype: for bitwise comparisons. */
    static long[] bits(Tensor t) {
        return switch (t.dtype().storage()) {
            case FLOAT -> {
                float[] a = t.toFloatArray();
                long[] b = new long[a.length];
                for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
                yield b;
            }
            case DOUBLE -> java.util.Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
            case INT -> java.util.Arrays.stream(t.toIntArray()).asLongStream().toArray();
            case LONG -> t.toLongArray();
            case SHORT -> {
                short[] a = t.toShortArray();
                long[] b = new long[a.length];
                for (int i = 0; i < a.length; i++) b[i] = a[i];
                yield b;
            }
            case BYTE -> {
                byte[] a = t.toByteArray();
                long[] b = new long[a.length];
                for (int i = 0; i < a.length; i++) b[i] = a[i];
                yield b;
            }
        };
    }
}
