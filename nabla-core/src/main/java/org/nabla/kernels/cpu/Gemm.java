package org.nabla.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.Tensor;

/**
 * Single- and double-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or X transposed. Every CPU kernel that multiplies
 * matrices (MatMul, Conv2D through im2col...) goes through here, so one fast implementation serves them all.
 *
 * <p>Large products run the packed, cache-blocked, register-blocked kernels of {@link GemmFloat}/{@link GemmDouble},
 * run on {@link Parallel#THREADS} cores that share each packed panel of B. Small products take a plain vectorized loop,
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
    /**
     * From this many multiply-adds on (about 10 us on one Zen 4 core), the work is shared between threads. The
     * workers spin a while after each job, so back-to-back ops (a training step) fork for a few microseconds; measured
     * on the 2-core VM, the batch-32 mlp step's 32x784x128 products went from 56 to 38 us, the step from ~300 to
     * ~230-290 us, with the old threshold of 192^3 (7M) against this one.
     */
    static final long PARALLEL_WORK = Long.getLong("nabla.gemm.parallel", 1L << 20);

    /** Whether C at most one vector wide takes {@link GemmFloatNarrow}; {@code -Dnabla.gemm.narrow=false} to compare. */
    static final boolean NARROW = !"false".equals(System.getProperty("nabla.gemm.narrow"));

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
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, null);
    }

    /**
     * {@code C = act(op(A) * op(B) + bias)} with the bias (column j adds {@code bias[biasOff + j]}) and the optional
     * ReLU applied to each C tile as the GEMM finishes it (the fused MatMul + BiasAdd / BiasRelu of inference graphs):
     * C is written once instead of being re-read by separate bias and activation passes. Each element gets the same
     * float32 arithmetic as the product followed by those passes, so the bits are the unfused ops'.
     */
    public static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] bias, int biasOff, boolean relu, float[] c, int cOff, int ldc) {
        sgemmBias(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias, biasOff, relu, c, cOff, ldc, null);
    }

    /**
     * {@link #sgemmBias} where B is the whole dense tensor {@code weights} (offset 0, row stride its second
     * dimension): a weight that comes back call after call is packed once ({@link PackedWeights}); same bits.
     */
    static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] bias, int biasOff, boolean relu, float[] c, int cOff, int ldc, Tensor weights) {
        if (n > 0 && (biasOff < 0 || biasOff + n > bias.length)) {
            throw new IllegalArgumentException("gemm: bias needs " + n + " values from offset " + biasOff + ", has "
                    + bias.length);
        }
        sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc,
                new GemmEpilogue(bias, biasOff, relu), weights);
    }

    /**
     * {@link #sgemm} with an epilogue (null: none) applied to every element of C after its product; {@code weights}
     * (null: none) is the tensor B belongs to, when its packed copy may be kept.
     */
    private static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue, Tensor weights) {
        checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        if (k == 0 || alpha == 0f) {
            scaleFloat(m, n, beta, c, cOff, ldc);
        } else if (m == 1 || n == 1) {
            gemvFloat(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (work <= SMALL_WORK) {
            smallFloat(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            int threads = work >= PARALLEL_WORK ? Parallel.THREADS : 1;
            // Packed weights are kept for batches that pack B anyway (inference sizes); training batches, whose
            // weights change every step, skip the lookup.
            if (!GemmFloat.takesPackedB(transB, m)) weights = null;
            if (n <= GemmFloat.V && NARROW) {
                GemmFloatNarrow.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        threads, epilogue, weights == null ? null : paddedWeights(weights, transB, k, n, b, bOff, ldb));
            } else {
                float[] packed = weights == null ? null : packedWeights(weights, transB, k, n, b, bOff, ldb);
                GemmFloat.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        threads, epilogue, packed);
            }
            return; // the blocked kernels apply the epilogue tile by tile
        }
        if (epilogue != null) epilogue.apply(c, cOff, ldc, m, 0, n); // small products: one pass, C is in cache
    }

    /** The kept copy of a weight B as {@link GemmFloatNarrow} pads it, or null (see {@link PackedWeights#get}). */
    static float[] paddedWeights(Tensor weights, boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedWeights.get(weights, new PackedWeights.Layout(0, transB, k, n), () -> {
            float[] p = new float[k * GemmFloat.V];
            GemmFloatNarrow.padB(transB, b, bOff, ldb, k, n, p);
            return p;
        });
    }

    /** The kept copy of a weight B as {@link GemmFloat} packs it, or null (see {@link PackedWeights#get}). */
    static float[] packedWeights(Tensor weights, boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedWeights.get(weights, new PackedWeights.Layout(1, transB, k, n),
                () -> GemmFloat.packWhole(transB, b, bOff, ldb, k, n));
    }

    /**
     * op(A) * op(B) as a new row-major m x n array. For products big enough to use several threads, the array is
     * allocated on a worker while the calling thread packs B, which hides the JVM's zeroing of fresh (cache-cold)
     * memory: 4-9% at n = 256-512.
     */
    public static float[] sgemmNew(boolean transA, boolean transB, int m, int n, int k,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb) {
        checkSizes(m, n, k);
        long work = (long) m * n * k;
        // The same path as sgemm would take (so both give bitwise the same C): narrow products go there.
        boolean narrow = n <= GemmFloat.V && NARROW;
        if (m > 1 && n > 1 && !narrow && work > SMALL_WORK && work >= PARALLEL_WORK && Parallel.THREADS > 1) {
            return GemmFloat.gemmNew(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, Parallel.THREADS);
        }
        float[] c = new float[Math.multiplyExact(m, n)];
        sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, 0, n);
        return c;
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
        GemmDouble.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads);
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

    /**
     * Matrix-vector products (m == 1 or n == 1), which are bound by reading the matrix once: packing would pad the
     * vector to a full micro-tile and waste most of the work. The vector is gathered into a contiguous buffer first.
     */
    private static void gemvFloat(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        if (m == 1) {
            // c row = alpha * (a row) x op(B) + beta * c row: the small path with a contiguous a row (a stored row
            // already is one: no copy, so batch-1 inference allocates nothing here).
            if (!transA) {
                smallFloat(false, transB, 1, n, k, alpha, a, aOff, k, b, bOff, ldb, beta, c, cOff, ldc);
                return;
            }
            float[] row = new float[k];
            for (int p = 0; p < k; p++) row[p] = a[aOff + p * lda];
            smallFloat(false, transB, 1, n, k, alpha, row, 0, k, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        float[] v = new float[k]; // the column of op(B)
        for (int p = 0; p < k; p++) v[p] = transB ? b[bOff + p] : b[bOff + p * ldb];
        float[] acc = new float[m];
        if (!transA) {
            for (int i = 0; i < m; i++) acc[i] = dot(a, aOff + i * lda, v, 0, k);
        } else {
            // op(A)(i, p) = a[p * lda + i]: accumulate rows of the stored A, scaled by v[p].
            for (int p = 0; p < k; p++) {
                FloatVector s = FloatVector.broadcast(F, v[p]);
                int ap = aOff + p * lda;
                int i = 0;
                for (int bound = F.loopBound(m); i < bound; i += F.length()) {
                    s.fma(FloatVector.fromArray(F, a, ap + i), FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
                }
                for (; i < m; i++) acc[i] += v[p] * a[ap + i];
            }
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            c[ci] = beta == 0f ? alpha * acc[i] : alpha * acc[i] + beta * c[ci];
        }
    }

    /** Sum of x[xOff + p] * y[yOff + p] for p in [0, len). */
    private static float dot(float[] x, int xOff, float[] y, int yOff, int len) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int p = 0;
        int step = F.length();
        for (int bound = len - 2 * step; p <= bound; p += 2 * step) {
            acc0 = FloatVector.fromArray(F, x, xOff + p).fma(FloatVector.fromArray(F, y, yOff + p), acc0);
            acc1 = FloatVector.fromArray(F, x, xOff + p + step).fma(FloatVector.fromArray(F, y, yOff + p + step), acc1);
        }
        for (int bound = F.loopBound(len); p < bound; p += step) {
            acc0 = FloatVector.fromArray(F, x, xOff + p).fma(FloatVector.fromArray(F, y, yOff + p), acc0);
        }
        float sum = VectorMath.sumLanes(acc0.add(acc1)); // fixed lane order: bitwise reproducible
        for (; p < len; p++) sum += x[xOff + p] * y[yOff + p];
        return sum;
    }

    /** The unpacked loop for small products: rows of C accumulate scaled rows of op(B), or dot products. */
    /**
     * C row ci += alpha * (row i of op(A)) x B, B row-major. Columns go in blocks of four vectors whose sums stay in
     * registers over the whole K loop (no load and store of C per k, which made a batch-1 dense layer a chain of
     * store-to-load forwards); each element still adds its K terms in order, so the bits are those of a k-outer loop.
     */
    private static void rowTimesB(boolean transA, int i, int n, int k, float alpha, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float[] c, int ci) {
        int v = F.length(), bound = F.loopBound(n), j = 0;
        for (; j + 4 * v <= bound; j += 4 * v) {
            FloatVector c0 = FloatVector.fromArray(F, c, ci + j), c1 = FloatVector.fromArray(F, c, ci + j + v);
            FloatVector c2 = FloatVector.fromArray(F, c, ci + j + 2 * v);
            FloatVector c3 = FloatVector.fromArray(F, c, ci + j + 3 * v);
            for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
                FloatVector s = FloatVector.broadcast(F, alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]));
                c0 = s.fma(FloatVector.fromArray(F, b, bp), c0);
                c1 = s.fma(FloatVector.fromArray(F, b, bp + v), c1);
                c2 = s.fma(FloatVector.fromArray(F, b, bp + 2 * v), c2);
                c3 = s.fma(FloatVector.fromArray(F, b, bp + 3 * v), c3);
            }
            c0.intoArray(c, ci + j);
            c1.intoArray(c, ci + j + v);
            c2.intoArray(c, ci + j + 2 * v);
            c3.intoArray(c, ci + j + 3 * v);
        }
        for (; j < bound; j += v) {
            FloatVector c0 = FloatVector.fromArray(F, c, ci + j);
            for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
                FloatVector s = FloatVector.broadcast(F, alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]));
                c0 = s.fma(FloatVector.fromArray(F, b, bp), c0);
            }
            c0.intoArray(c, ci + j);
        }
        if (j == n) return;
        // The last n - j (fewer than V) columns as one masked vector: a batch-1 dense layer with 10 outputs ran all
        // of its 10 x K terms as scalar loads and stores through C (cnn at batch 1: 10 us -> ~3 us). Same K-order
        // fma as the full vectors above and the blocked GEMM, so these columns get those paths' bits too.
        VectorMask<Float> tail = F.indexInRange(j, n);
        FloatVector ct = FloatVector.fromArray(F, c, ci + j, tail);
        for (int p = 0, bp = bOff + j; p < k; p++, bp += ldb) {
            FloatVector s = FloatVector.broadcast(F, alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]));
            ct = s.fma(FloatVector.fromArray(F, b, bp, tail), ct);
        }
        ct.intoArray(c, ci + j, tail);
    }

    private static void smallFloat(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        scaleFloat(m, n, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!transB) {
                rowTimesB(transA, i, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, ci);
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float sum = 0f;
                    if (!transA) {
                        sum = dot(a, aOff + i * lda, b, bj, k);
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
