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
    /** Each thread's eight scaled rows when C is updated (beta != 0). */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[ROWS * V]);

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
        Parallel.forRange(groups, Math.max(1, groups / threads), (g0, g1) ->
                groups(g0 * ROWS, Math.min(m, g1 * ROWS), n, k, a, aOff, stepR, stepP, bp, alpha, beta, c, cOff, ldc,
                        mask, epilogue));
    }

    /**
     * Rows [i0, i1) of C = op(A) op(B) (alpha 1, beta 0) on the calling thread, op(B) padded by {@link #padB} and A
     * row-major (row stride lda): the arithmetic of {@link #gemm}, so each row gets its bits.
     */
    static void rowRange(int i0, int i1, int n, int k, float[] a, int aOff, int lda, float[] paddedB, float[] c,
                         int cOff, int ldc, GemmEpilogue epilogue) {
        groups(i0, i1, n, k, a, aOff, lda, 1, paddedB, 1f, 0f, c, cOff, ldc, S.indexInRange(0, n), epilogue);
    }

    /** Rows [i0, i1) in groups of eight from row i0 (the last group shorter), each followed by the epilogue. */
    private static void groups(int i0, int i1, int n, int k, float[] a, int aOff, int stepR, int stepP, float[] bp,
                               float alpha, float beta, float[] c, int cOff, int ldc, VectorMask<Float> mask,
                               GemmEpilogue epilogue) {
        for (int i = i0; i < i1; i += ROWS) {
            if (i + ROWS <= i1) {
                rows8(k, a, aOff + i * stepR, stepR, stepP, bp, alpha, beta, c, cOff + i * ldc, ldc, mask);
            } else {
                rows(i, i1, k, a, aOff, stepR, stepP, bp, alpha, beta, c, cOff, ldc, mask);
            }
            if (epilogue != null) epilogue.apply(c, cOff + i * ldc, ldc, Math.min(ROWS, i1 - i), 0, n);
        }
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
        float[] scratch = beta == 0f ? null : SCRATCH.get();
        for (int i = i0; i < m; i++) {
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0, ai = aOff + i * stepR; p < k; p++, ai += stepP) {
                acc = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, bp, p * V), acc);
            }
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                acc.mul(alpha).intoArray(c, ci, mask);
            } else {
                acc.mul(alpha).intoArray(scratch, 0);
                addScaled(scratch, 1, beta, c, ci, ldc, mask);
            }
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
        // Stored here, never through a helper that takes the vectors: C2 stops inlining after about four such calls
        // (its node count cutoff), and the accumulators passed to the rest were boxed (with beta != 0, SGD's fused
        // update of a 10-class layer: 9.3 KB per 128 x 10 x 32 product and twice the time). With beta != 0 the
        // scaled sums go to a scratch tile and addScaled updates C from there: the same two roundings as before.
        if (alpha != 1f) {
            c0 = c0.mul(alpha); c1 = c1.mul(alpha); c2 = c2.mul(alpha); c3 = c3.mul(alpha);
            c4 = c4.mul(alpha); c5 = c5.mul(alpha); c6 = c6.mul(alpha); c7 = c7.mul(alpha);
        }
        float[] d = beta == 0f ? c : SCRATCH.get();
        int di = beta == 0f ? ci : 0, ld = beta == 0f ? ldc : V;
        c0.intoArray(d, di, mask);
        c1.intoArray(d, di + ld, mask);
        c2.intoArray(d, di + 2 * ld, mask);
        c3.intoArray(d, di + 3 * ld, mask);
        c4.intoArray(d, di + 4 * ld, mask);
        c5.intoArray(d, di + 5 * ld, mask);
        c6.intoArray(d, di + 6 * ld, mask);
        c7.intoArray(d, di + 7 * ld, mask);
        if (beta != 0f) addScaled(d, ROWS, beta, c, ci, ldc, mask);
    }

    /** C rows [0, rows) (the mask's lanes) = beta * C row + the scratch row (alpha times the sums), row r at r * V. */
    private static void addScaled(float[] scratch, int rows, float beta, float[] c, int ci, int ldc,
                                  VectorMask<Float> mask) {
        for (int r = 0; r < rows; r++) {
            int cr = ci + r * ldc;
            FloatVector.fromArray(S, c, cr, mask).mul(beta).add(FloatVector.fromArray(S, scratch, r * V))
                    .intoArray(c, cr, mask);
        }
    }
}
