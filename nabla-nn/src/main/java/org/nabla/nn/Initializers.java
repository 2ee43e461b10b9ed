package org.nabla.nn;

import java.util.SplittableRandom;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The standard initializers (Keras semantics). Fan-in and fan-out follow Keras: for a 2-D kernel [in, out]; for a
 * convolution kernel [kh, kw, in, out] they are kh*kw*in and kh*kw*out.
 */
public final class Initializers {
    private Initializers() {}

    /** Uniform in [-limit, limit] with limit = sqrt(6 / (fanIn + fanOut)); the default for kernels. */
    public static Initializer glorotUniform() {
        return (shape, seed) -> {
            long[] f = fans(shape);
            double limit = Math.sqrt(6.0 / (f[0] + f[1]));
            return uniform(shape, seed, -limit, limit);
        };
    }

    /** Normal with stddev sqrt(2 / fanIn), truncated at two standard deviations (Keras' he_normal). */
    public static Initializer heNormal() {
        return (shape, seed) -> {
            double std = Math.sqrt(2.0 / fans(shape)[0]) / 0.87962566103423978;
            SplittableRandom r = new SplittableRandom(seed);
            float[] a = new float[shape.intSize()];
            for (int i = 0; i < a.length; i++) {
                double z;
                do {
                    z = gaussian(r);
                } while (Math.abs(z) > 2);
                a[i] = (float) (z * std);
            }
            return Tensor.wrap(DType.FLOAT32, shape, a);
        };
    }

    /**
     * A random orthogonal matrix (Keras' orthogonal, the default for recurrent kernels): a standard normal matrix
     * [prod(shape[:-1]), shape[-1]] orthonormalized (QR with a positive diagonal, by Gram-Schmidt), so its rows or
     * columns, whichever are fewer, are orthonormal.
     */
    public static Initializer orthogonal() {
        return (shape, seed) -> {
            int cols = shape.rank() == 0 ? 1 : shape.dim(-1);
            int rows = cols == 0 ? 0 : shape.intSize() / cols;
            boolean wide = rows < cols;   // orthonormalize the longer vectors: QR of the transpose
            int n = wide ? cols : rows, k = wide ? rows : cols;
            SplittableRandom r = new SplittableRandom(seed);
            double[][] q = new double[k][n];   // k vectors of length n
            for (double[] v : q) for (int i = 0; i < n; i++) v[i] = gaussian(r);
            for (int j = 0; j < k; j++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[j][i] * q[p][i];
                    for (int i = 0; i < n; i++) q[j][i] -= dot * q[p][i];
                }
                double norm = 0;
                for (int i = 0; i < n; i++) norm += q[j][i] * q[j][i];
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) q[j][i] /= norm;
            }
            float[] a = new float[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) a[i * cols + j] = (float) (wide ? q[i][j] : q[j][i]);
            }
            return Tensor.wrap(DType.FLOAT32, shape, a);
        };
    }

    /** Uniform in [min, max). */
    public static Initializer randomUniform(double min, double max) {
        return (shape, seed) -> uniform(shape, seed, min, max);
    }

    /** All zeros (biases). */
    public static Initializer zeros() { return constant(0); }

    /** All ones (batch-norm scales). */
    public static Initializer ones() { return constant(1); }

    /** Every element {@code value}. */
    public static Initializer constant(double value) {
        return (shape, seed) -> {
            float[] a = new float[shape.intSize()];
            java.util.Arrays.fill(a, (float) value);
            return Tensor.wrap(DType.FLOAT32, shape, a);
        };
    }

    /** Fan-in and fan-out of a weight shape (Keras' _compute_fans). */
    public static long[] fans(Shape shape) {
        int[] d = shape.dims();
        if (d.length == 0) return new long[] {1, 1};
        if (d.length == 1) return new long[] {d[0], d[0]};
        if (d.length == 2) return new long[] {d[0], d[1]};
        long receptive = 1;
        for (int i = 0; i < d.length - 2; i++) receptive *= d[i];
        return new long[] {receptive * d[d.length - 2], receptive * d[d.length - 1]};
    }

    private static Tensor uniform(Shape shape, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[shape.intSize()];
        for (int i = 0; i < a.length; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return Tensor.wrap(DType.FLOAT32, shape, a);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
