package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products whose C is at most one vector wide (n <= V, e.g. a 10-class logits layer and its weight gradient): the
 * general micro-tile is two vectors wide and would compute mostly padding there. op(B) is copied into a zero-padded
 * k x V buffer (small: n <= V columns), rows of op(A) are read in place, eight at a time, and C rows are written
 * with a lane mask. Every element's products are added in p order.
 */
final class GemmFloatNarrow {
    private static final VectorSpecies<Float> S = GemmFloat.S;
    private static final int V = S.length();
    private static final int ROWS = 8;

    /** The calling thread's padded copy of op(B), grown on demand. */
    private static final ThreadLocal<float[][]> B_COPY = ThreadLocal.withInitial(() -> new float[1][0]);

    private GemmFloatNarrow() {}

    /**
     * C = alpha * op(A) op(B) + beta * C for 1 <= n <= V; m, k > 0; rows shared among up to {@code threads}. The
     * epilogue (null: none) goes over each group of rows right after they are stored.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, int threads, GemmEpilogue epilogue) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads, epilogue, null);
    }

    /** {@link #gemm} with op(B) already padded by {@link #padB} (null: padded here). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc, int threads, GemmEpilogue epilogue, float[] paddedB) {
        float[] bp = paddedB != null ? paddedB : threadCopy(transB, b, bOff, ldb, k, n);
        VectorMask<Float> mask = S.indexInRange(0, n);
        // op(A) element (i, p) is a[aOff + i * stepR + p * stepP].
        int stepR = transA ? 1 : lda, stepP = transA ? lda : 1;
        int groups = (m + ROWS - 1) / ROWS;
        // A grain of groups / threads gives exactly `threads` chunks (a rounded-up grain could give only one).
        Parallel.forRange(groups, Math.max(1, groups / threads), (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                int i = g * ROWS;
                if (i + ROWS <= m) {
                    rows8(k, a, aOff + i * stepR, stepR, stepP, bp, alpha, beta, c, cOff + i * ldc, ldc, mask);
                } else {
                    rows(i, m, k, a, aOff, stepR, stepP, bp, alpha, beta, c, cOff, ldc, mask);
                }
                if (epilogue != null) epilogue.apply(c, cOff + i * ldc, ldc, Math.min(ROWS, m - i), 0, n);
            }
        });
    }

    /** op(B) padded into the calling thread's reused buffer. */
    private static float[] threadCopy(boolean transB, float[] b, int bOff, int ldb, int k, int n) {
        float[][] holder = B_COPY.get();
        if (holder[0].length < k * V) holder[0] = new float[k * V];
        padB(transB, b, bOff, ldb, k, n, holder[0]);
        return holder[0];
    }

    /** op(B) (k x n, n at most V) into bp as k rows of V floats, zero past column n. */
    static void padB(boolean transB, float[] b, int bOff, int ldb, int k, int n, float[] bp) {
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) bp[p * V + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            for (int j = n; j < V; j++) bp[p * V + j] = 0f;
        }
    }

    /** Rows [i0, m) one at a time (fewer than eight). */
    private static void rows(int i0, int m, int k, float[] a, int aOff, int stepR, int stepP, float[] bp,
                             float alpha, float beta, float[] c, int cOff, int ldc, VectorMask<Float> mask) {
        for (int i = i0; i < m; i++) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0, ai = aOff + i * stepR; p < k; p++, ai += stepP) {
                acc = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, bp, p * V), acc);
            }
            store(acc, alpha, beta, c, cOff + i * ldc, mask);
        }
    }

    /** Eight rows of C from eight rows of op(A) starting at a[ai]. */
    private static void rows8(int k, float[] a, int ai, int stepR, int stepP, float[] bp, float alpha, float beta,
                              float[] c, int ci, int ldc, VectorMask<Float> mask) {
        int r1 = stepR, r2 = 2 * stepR, r3 = 3 * stepR, r4 = 4 * stepR, r5 = 5 * stepR, r6 = 6 * stepR,
                r7 = 7 * stepR;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int p = 0; p < k; p++, ai += stepP) {
            FloatVector bv = FloatVector.fromArray(S, bp, p * V);
            c0 = FloatVector.broadcast(S, a[ai]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ai + r1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ai + r2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ai + r3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ai + r4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ai + r5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ai + r6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ai + r7]).fma(bv, c7);
        }
        if (beta == 0f) {
            // Stored here, not through store(): C2 stops inlining after about four store() calls (its node count
            // cutoff), and the accumulators passed to the rest were boxed, two arrays per call.
            if (alpha != 1f) {
                c0 = c0.mul(alpha); c1 = c1.mul(alpha); c2 = c2.mul(alpha); c3 = c3.mul(alpha);
                c4 = c4.mul(alpha); c5 = c5.mul(alpha); c6 = c6.mul(alpha); c7 = c7.mul(alpha);
            }
            c0.intoArray(c, ci, mask);
            c1.intoArray(c, ci + ldc, mask);
            c2.intoArray(c, ci + 2 * ldc, mask);
            c3.intoArray(c, ci + 3 * ldc, mask);
            c4.intoArray(c, ci + 4 * ldc, mask);
            c5.intoArray(c, ci + 5 * ldc, mask);
            c6.intoArray(c, ci + 6 * ldc, mask);
            c7.intoArray(c, ci + 7 * ldc, mask);
            return;
        }
        store(c0, alpha, beta, c, ci, mask);
        store(c1, alpha, beta, c, ci + ldc, mask);
        store(c2, alpha, beta, c, ci + 2 * ldc, mask);
        store(c3, alpha, beta, c, ci + 3 * ldc, mask);
        store(c4, alpha, beta, c, ci + 4 * ldc, mask);
        store(c5, alpha, beta, c, ci + 5 * ldc, mask);
        store(c6, alpha, beta, c, ci + 6 * ldc, mask);
        store(c7, alpha, beta, c, ci + 7 * ldc, mask);
    }

    /** C row (the mask's lanes) = alpha * acc + beta * C row, C not read when beta is 0. */
    private static void store(FloatVector acc, float alpha, float beta, float[] c, int ci, VectorMask<Float> mask) {
        FloatVector v = acc.mul(alpha);
        if (beta != 0f) v = FloatVector.fromArray(S, c, ci, mask).mul(beta).add(v);
        v.intoArray(c, ci, mask);
    }
}
