package org.nabla.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single- and double-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or X transposed. Every CPU kernel that multiplies
 * matrices (MatMul, Conv2D through im2col...) goes through here, so one fast implementation serves them all.
 *
 * <p>Large products run the packed, cache-blocked, register-blocked kernels of {@link GemmFloat}/{@link GemmDouble},
 * split across {@link Parallel#THREADS} cores by rows (or columns) of C. Small products take a plain vectorized loop,
 * because packing and waking threads cost more than they save there. As in BLAS, {@code beta == 0} means C is not
 * read (NaN/inf already in C do not propagate) and {@code alpha == 0} or {@code k == 0} leave {@code beta * C};
 * otherwise every product is computed, so inf/NaN in A or B propagate as IEEE arithmetic says.
 */
public final class Gemm {
    /**
     * Up to this many multiply-adds (m*n*k) the plain loop is used. Measured on Zen 4: packing wins from about
     * 8x8x8 up (at 16^3 the packed path is already 2.5x faster), so only tiny products skip it.
     */
    static final long SMALL_WORK = Long.getLong("nabla.gemm.small", 8L * 8 * 8);
    /** From this many multiply-adds on, C is split between threads (below, waking a thread costs more than it saves). */
    static final long PARALLEL_WORK = Long.getLong("nabla.gemm.parallel", 128L * 128 * 128);

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private Gemm() {}

    /**
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k columns of op(A), rows of op(B)
     * @param lda row stride of A as stored (k if not transposed, m if transposed, for a dense matrix)
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleFloat(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work <= SMALL_WORK) {
            smallFloat(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int threads = work >= PARALLEL_WORK ? Parallel.THREADS : 1;
        // Split the longer side of C into one piece per thread, in whole micro-tiles; each thread packs its own panels.
        boolean byRows = (long) m * GemmFloat.NR >= (long) n * GemmFloat.MR;
        int unit = byRows ? GemmFloat.MR : GemmFloat.NR;
        int tiles = ((byRows ? m : n) + unit - 1) / unit;
        int parts = Math.max(1, Math.min(threads, tiles));
        if (parts == 1) {
            GemmFloat.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int lo = Math.min(byRows ? m : n, (int) ((long) tiles * t / parts) * unit);
                int hi = Math.min(byRows ? m : n, (int) ((long) tiles * (t + 1) / parts) * unit);
                if (hi <= lo) continue;
                if (byRows) {
                    GemmFloat.gemm(transA, transB, hi - lo, n, k, alpha, a, aOff + (transA ? lo : lo * lda), lda,
                            b, bOff, ldb, beta, c, cOff + lo * ldc, ldc);
                } else {
                    GemmFloat.gemm(transA, transB, m, hi - lo, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? lo * ldb : lo), ldb, beta, c, cOff + lo, ldc);
                }
            }
        });
    }

    /** The float64 version of {@link #sgemm}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scaleDouble(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work <= SMALL_WORK) {
            smallDouble(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int threads = work >= PARALLEL_WORK ? Parallel.THREADS : 1;
        boolean byRows = (long) m * GemmDouble.NR >= (long) n * GemmDouble.MR;
        int unit = byRows ? GemmDouble.MR : GemmDouble.NR;
        int tiles = ((byRows ? m : n) + unit - 1) / unit;
        int parts = Math.max(1, Math.min(threads, tiles));
        if (parts == 1) {
            GemmDouble.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int lo = Math.min(byRows ? m : n, (int) ((long) tiles * t / parts) * unit);
                int hi = Math.min(byRows ? m : n, (int) ((long) tiles * (t + 1) / parts) * unit);
                if (hi <= lo) continue;
                if (byRows) {
                    GemmDouble.gemm(transA, transB, hi - lo, n, k, alpha, a, aOff + (transA ? lo : lo * lda), lda,
                            b, bOff, ldb, beta, c, cOff + lo * ldc, ldc);
                } else {
                    GemmDouble.gemm(transA, transB, m, hi - lo, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? lo * ldb : lo), ldb, beta, c, cOff + lo, ldc);
                }
            }
        });
    }

    private static void checkSizes(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
    }

    private static void scaleFloat(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, ci, ci + n, 0f);
            else for (int j = 0; j < n; j++) c[ci + j] *= beta;
        }
    }

    private static void scaleDouble(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1) return;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0) java.util.Arrays.fill(c, ci, ci + n, 0);
            else for (int j = 0; j < n; j++) c[ci + j] *= beta;
        }
    }

    /** The unpacked loop for small products: rows of C accumulate scaled rows of op(B), or dot products. */
    private static void smallFloat(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        scaleFloat(m, n, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!transB) {
                for (int p = 0; p < k; p++) {
                    float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    int bp = bOff + p * ldb;
                    FloatVector s = FloatVector.broadcast(F, av);
                    int j = 0;
                    for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                        s.fma(FloatVector.fromArray(F, b, bp + j), FloatVector.fromArray(F, c, ci + j))
                                .intoArray(c, ci + j);
                    }
                    for (; j < n; j++) c[ci + j] += av * b[bp + j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float sum = 0f;
                    if (!transA) {
                        int ai = aOff + i * lda;
                        int p = 0;
                        FloatVector acc = FloatVector.zero(F);
                        for (int bound = F.loopBound(k); p < bound; p += F.length()) {
                            acc = FloatVector.fromArray(F, a, ai + p).fma(FloatVector.fromArray(F, b, bj + p), acc);
                        }
                        sum = ReduceLoops.sumLanes(acc); // fixed lane order: bitwise reproducible
                        for (; p < k; p++) sum += a[ai + p] * b[bj + p];
                    } else {
                        for (int p = 0; p < k; p++) sum += a[aOff + p * lda + i] * b[bj + p];
                    }
                    c[ci + j] += alpha * sum;
                }
            }
        }
    }

    /** The float64 version of {@link #smallFloat}. */
    private static void smallDouble(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                    double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                    double beta, double[] c, int cOff, int ldc) {
        scaleDouble(m, n, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!transB) {
                for (int p = 0; p < k; p++) {
                    double av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    int bp = bOff + p * ldb;
                    DoubleVector s = DoubleVector.broadcast(D, av);
                    int j = 0;
                    for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                        s.fma(DoubleVector.fromArray(D, b, bp + j), DoubleVector.fromArray(D, c, ci + j))
                                .intoArray(c, ci + j);
                    }
                    for (; j < n; j++) c[ci + j] += av * b[bp + j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * b[bj + p];
                    }
                    c[ci + j] += alpha * sum;
                }
            }
        }
    }
}
