package org.nabla.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import org.nabla.Tensor;

/**
 * Two dense layers in one parallel loop: {@code C = act2(act1(op(A) op(B1) + bias1) B2 + bias2)} where the second
 * layer is narrow (at most one vector of columns, a classifier's logits). Each work item is a block of rows that a
 * thread takes through both products: the first into the thread's small hidden buffer (B1 packed whole, read by both
 * threads), the second from there while it is in cache. One fork and join per call instead of two, and the hidden
 * activations never go to memory. Every element gets the bits of the two products run one after the other
 * ({@link GemmFloat#rowBlock} and {@link GemmFloatNarrow#rowRange} do their arithmetic), so the fused op changes
 * nothing but the time; shapes those paths would not take run as the two products.
 */
final class GemmPair {
    /** Rows per work item (a multiple of the micro-tile's 8): small items leave little to a thread that stalls. */
    static final int BLOCK_ROWS = Integer.getInteger("nabla.gemm.pairRows", 64) / GemmFloat.MR * GemmFloat.MR;

    /** The largest hidden layer (floats) the shapes that run as two products keep in a thread's buffer. */
    private static final int MAX_KEPT_HIDDEN = 1 << 18;

    /** Each thread's hidden rows (BLOCK_ROWS x n1, or all of a hidden layer that runs as two products). */
    private static final ThreadLocal<float[][]> HIDDEN = ThreadLocal.withInitial(() -> new float[1][0]);

    private GemmPair() {}

    /**
     * The two layers into c (m x n2, row-major): A is m x k (or k x m with transA) with row stride lda; B1 (k x n1
     * after op) and B2 (n1 x n2 after op) are whole dense tensors, so a kept packed copy serves ({@link PackedWeights}).
     */
    static void run(boolean transA, int m, int k, float[] a, int lda, Tensor w1, boolean transB1, int n1,
                    float[] bias1, boolean relu1, Tensor w2, boolean transB2, int n2, float[] bias2, boolean relu2,
                    float[] c) {
        float[] b1 = (float[]) w1.data(), b2 = (float[]) w2.data();
        int ldb1 = w1.shape().dim(1), ldb2 = w2.shape().dim(1);
        if (!fits(m, k, n1, n2, transB1) || BLOCK_ROWS <= 0) {
            // The hidden layer is read at once, so the thread's buffer serves (fresh arrays are cold pages).
            int size = Math.multiplyExact(m, n1);
            float[][] holder = HIDDEN.get();
            if (size <= MAX_KEPT_HIDDEN && holder[0].length < size) holder[0] = new float[size];
            float[] hidden = size <= MAX_KEPT_HIDDEN ? holder[0] : new float[size];
            Gemm.sgemmBias(transA, transB1, m, n1, k, a, 0, lda, b1, 0, ldb1, bias1, 0, relu1, hidden, 0, n1, w1);
            Gemm.sgemmBias(false, transB2, m, n2, n1, hidden, 0, n1, b2, 0, ldb2, bias2, 0, relu2, c, 0, n2, w2);
            return;
        }
        checkBias(bias1, n1);
        checkBias(bias2, n2);
        float[] packed1 = Gemm.packedWeights(w1, transB1, k, n1, b1, 0, ldb1);
        if (packed1 == null) packed1 = GemmFloat.packWhole(transB1, b1, 0, ldb1, k, n1);
        float[] padded2 = GemmFloat.takesPackedB(transB2, m) ? Gemm.paddedWeights(w2, transB2, n1, n2, b2, 0, ldb2)
                : null;
        if (padded2 == null) {
            padded2 = new float[n1 * GemmFloat.V];
            GemmFloatNarrow.padB(transB2, b2, 0, ldb2, n1, n2, padded2);
        }
        GemmEpilogue first = new GemmEpilogue(bias1, 0, relu1), second = new GemmEpilogue(bias2, 0, relu2);
        int h = blockRows(m);
        int blocks = (m + h - 1) / h;
        int threads = (long) m * n1 * k >= Gemm.PARALLEL_WORK ? Parallel.THREADS : 1;
        float[] p1 = packed1, p2 = padded2;
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(Math.min(threads, blocks), 1, (t0, t1) -> {
            float[][] holder = HIDDEN.get();
            if (holder[0].length < h * n1) holder[0] = new float[h * n1];
            float[] hidden = holder[0];
            for (int blk; (blk = next.getAndIncrement()) < blocks; ) {
                int i0 = blk * h, rows = Math.min(h, m - i0);
                GemmFloat.rowBlock(transA, n1, k, a, 0, lda, p1, i0, rows, hidden, 0, n1, first);
                GemmFloatNarrow.rowRange(0, rows, n2, n1, hidden, 0, n1, p2, c, i0 * n2, n2, second);
            }
        });
    }

    /**
     * Whether both products take the paths whose arithmetic this loop repeats: the first GemmFloat's packed one (more
     * than one vector of columns, B packed whole, so a row block needs nothing shared: {@link GemmFloat#rowBlock}),
     * the second GemmFloatNarrow's (2 to V columns); neither a matrix-vector product nor a tiny one.
     */
    static boolean fits(int m, int k, int n1, int n2, boolean transB1) {
        return m > 1 && k > 0 && n1 > GemmFloat.V && n2 > 1 && n2 <= GemmFloat.V && Gemm.NARROW
                && GemmFloat.takesPackedB(transB1, m) && (long) m * n1 * k > Gemm.SMALL_WORK
                && (long) m * n2 * n1 > Gemm.SMALL_WORK;
    }

    /** Equal blocks of at most BLOCK_ROWS rows (the last no smaller than the others), multiples of MR. */
    private static int blockRows(int m) {
        int blocks = (m + BLOCK_ROWS - 1) / BLOCK_ROWS;
        int size = (m + blocks - 1) / blocks;
        return Math.min(BLOCK_ROWS, (size + GemmFloat.MR - 1) / GemmFloat.MR * GemmFloat.MR);
    }

    private static void checkBias(float[] bias, int n) {
        if (bias.length < n) throw new IllegalArgumentException("gemm: bias needs " + n + " values, has " + bias.length);
    }
}
