package org.nabla.properties;

import java.util.Random;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/** Shapes and tensors for the property tests: small ranks and dims (zero-size dims included), any bits per dtype. */
final class RandomTensors {
    private RandomTensors() {}

    /** A shape of rank 0 to {@code maxRank}, each dim in [minDim, maxDim]. */
    static int[] shape(Random rnd, int maxRank, int minDim, int maxDim) {
        int[] s = new int[rnd.nextInt(maxRank + 1)];
        for (int i = 0; i < s.length; i++) s[i] = minDim + rnd.nextInt(maxDim - minDim + 1);
        return s;
    }

    /**
     * Runs {@code property} on {@code tries} cases drawn from a generator seeded by {@code seed} (fixed, so a
     * failure reproduces), naming the case number and its seed when one fails.
     */
    static void forAll(String name, long seed, int tries, Case property) {
        Random cases = new Random(seed);
        for (int t = 0; t < tries; t++) {
            long caseSeed = cases.nextLong();
            try {
                property.check(new Random(caseSeed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(name + ": case " + t + " (seed " + caseSeed + ") failed: " + e.getMessage(), e);
            } catch (Exception e) {
                throw new AssertionError(name + ": case " + t + " (seed " + caseSeed + ") threw " + e, e);
            }
        }
    }

    /** One case of a property, drawing its inputs from {@code rnd}. */
    @FunctionalInterface
    interface Case {
        void check(Random rnd) throws Exception;
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
            case STRING -> {
                byte[][] a = new byte[n][];
                for (int i = 0; i < n; i++) {
                    a[i] = new byte[rnd.nextInt(4)];
                    rnd.nextBytes(a[i]);
                }
                yield a;
            }
            case COMPLEX64 -> {   // re, im pairs
                float[] a = new float[2 * n];
                for (int i = 0; i < 2 * n; i++) a[i] = rnd.nextInt(8) == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) rnd.nextGaussian();
                yield a;
            }
            case COMPLEX128 -> {
                double[] a = new double[2 * n];
                for (int i = 0; i < 2 * n; i++) a[i] = rnd.nextInt(8) == 0 ? Double.longBitsToDouble(rnd.nextLong()) : rnd.nextGaussian();
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
            case STRING -> { // the bytes of each (at most 7-byte) string and its length, packed in a long
                byte[][] a = t.toBytesArray();
                long[] b = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    long v = a[i].length;
                    for (byte x : a[i]) v = v << 8 | (x & 0xff);
                    b[i] = v;
                }
                yield b;
            }
            case COMPLEX64 -> { // both parts' bits packed in a long
                float[] a = (float[]) t.dense().data();
                long[] b = new long[a.length / 2];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (long) Float.floatToRawIntBits(a[2 * i]) << 32 | (Float.floatToRawIntBits(a[2 * i + 1]) & 0xffffffffL);
                }
                yield b;
            }
            case COMPLEX128 -> { // both parts' bits interleaved
                double[] a = (double[]) t.dense().data();
                long[] b = new long[a.length];
                for (int i = 0; i < a.length; i++) b[i] = Double.doubleToRawLongBits(a[i]);
                yield b;
            }
        };
    }
}
