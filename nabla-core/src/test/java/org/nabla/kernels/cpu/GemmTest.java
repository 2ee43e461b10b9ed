package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gemm.sgemm/dgemm against a float64 triple loop, on both the small path and the packed, threaded path. */
class GemmTest {
    private static final int[][] SIZES = {
        {1, 1, 1}, {1, 7, 3}, {7, 1, 5}, {3, 5, 1}, {6, 32, 8}, {13, 29, 17}, {33, 65, 40},
        {97, 130, 70}, {129, 31, 257}, {200, 201, 300}, {7, 300, 260}, {300, 9, 33}, {64, 1100, 16},
        {40, 2000, 100}, {300, 301, 80}, // threads: a wide B panel packed in parallel, then many A blocks
        {260, 100, 700}, // a narrow B with K over one block: packed whole, by both threads, A blocks 2 MC tall
        {1, 300, 200}, {250, 1, 70}, {1, 1, 600}, // matrix-vector paths
    };

    @Test
    void sgemmMatchesReferenceForAllTransposesAlphaBetaOffsetsAndStrides() {
        Random rnd = new Random(7);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                checkFloat(rnd, s[0], s[1], s[2], ta, tb, 1f, 0f, 0, 0);
                checkFloat(rnd, s[0], s[1], s[2], ta, tb, -0.5f, 2f, 3, 5);
            }
        }
    }

    @Test
    void sgemmNewEqualsSgemmIntoZerosForEveryPath() {
        Random rnd = new Random(9);
        int[][] sizes = java.util.Arrays.copyOf(SIZES, SIZES.length + 3);
        sizes[SIZES.length] = new int[] {256, 256, 256}; // threaded: allocated on a worker while B is packed
        sizes[SIZES.length + 1] = new int[] {200, 2100, 300}; // two B panels: allocated with the first only
        sizes[SIZES.length + 2] = new int[] {128, 12, 1100}; // narrow, and K longer than one block
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                int off = 3, lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1;
                float[] a = random(rnd, off + (ta ? k : m) * lda);
                float[] b = random(rnd, off + (tb ? n : k) * ldb);
                float[] expected = new float[m * n];
                Gemm.sgemm(ta, tb, m, n, k, 1f, a, off, lda, b, off, ldb, 0f, expected, 0, n);
                float[] got = Gemm.sgemmNew(ta, tb, m, n, k, a, off, lda, b, off, ldb);
                assertArrayEquals(expected, got, "sgemmNew m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    @Test
    void dgemmMatchesReferenceForAllTransposesAlphaBetaOffsetsAndStrides() {
        Random rnd = new Random(8);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                checkDouble(rnd, s[0], s[1], s[2], ta, tb, 1, 0, 0, 0);
                checkDouble(rnd, s[0], s[1], s[2], ta, tb, 1.5, -1, 2, 4);
            }
        }
    }

    /** Random A, B, C with extra row padding ({@code pad}) and leading offsets ({@code off}); checks C and padding. */
    private static void checkFloat(Random rnd, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta,
                                   int off, int pad) {
        int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
        int lda = ac + pad, ldb = bc + pad, ldc = n + pad;
        float[] a = random(rnd, off + ar * lda);
        float[] b = random(rnd, off + br * ldb);
        float[] c = random(rnd, off + m * ldc);
        float[] c0 = c.clone();
        Gemm.sgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        String what = "sgemm m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " alpha=" + alpha
                + " beta=" + beta + " off=" + off + " pad=" + pad;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[off + p * lda + i] : a[off + i * lda + p];
                    double y = tb ? b[off + j * ldb + p] : b[off + p * ldb + j];
                    sum += x * y;
                }
                double expected = alpha * sum + (beta == 0 ? 0 : beta * (double) c0[off + i * ldc + j]);
                double got = c[off + i * ldc + j];
                if (!(Math.abs(expected - got) <= 1e-5 * (k + 1))) {
                    fail(what + " at [" + i + "," + j + "]: expected " + expected + " but was " + got);
                }
            }
        }
        for (int i = 0; i < off; i++) assertEquals(c0[i], c[i], "wrote before the offset");
        for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc; j++) assertEquals(c0[off + i * ldc + j], c[off + i * ldc + j], "padding");
        }
    }

    private static void checkDouble(Random rnd, int m, int n, int k, boolean ta, boolean tb, double alpha,
                                    double beta, int off, int pad) {
        int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
        int lda = ac + pad, ldb = bc + pad, ldc = n + pad;
        double[] a = randomD(rnd, off + ar * lda);
        double[] b = randomD(rnd, off + br * ldb);
        double[] c = randomD(rnd, off + m * ldc);
        double[] c0 = c.clone();
        Gemm.dgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (ta ? a[off + p * lda + i] : a[off + i * lda + p])
                            * (tb ? b[off + j * ldb + p] : b[off + p * ldb + j]);
                }
                double expected = alpha * sum + (beta == 0 ? 0 : beta * c0[off + i * ldc + j]);
                double got = c[off + i * ldc + j];
                if (!(Math.abs(expected - got) <= 1e-12 * (k + 1))) {
                    fail("dgemm m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " at " + i + "," + j
                            + ": expected " + expected + " but was " + got);
                }
            }
            for (int j = n; j < ldc; j++) assertEquals(c0[off + i * ldc + j], c[off + i * ldc + j]);
        }
    }

    @Test
    void infAndNanInInputsPropagateAndBetaZeroIgnoresC() {
        for (int size : new int[] {3, 70}) { // the small path and the packed path
            int n = size;
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            b[2 * n + 1] = Float.POSITIVE_INFINITY; // B[2][1] = inf, and A is all zeros: 0 * inf = NaN
            b[n] = Float.NaN; // B[1][0]
            float[] c = new float[n * n];
            java.util.Arrays.fill(c, Float.NaN); // beta = 0: C must not be read
            Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            for (int i = 0; i < n; i++) {
                assertTrue(Float.isNaN(c[i * n + 1]), "0 * inf must give NaN in column 1, size " + n);
                assertTrue(Float.isNaN(c[i * n]), "NaN must propagate, size " + n);
                assertEquals(0f, c[i * n + n - 1], "size " + n);
            }
        }
    }

    @Test
    void zeroSizesAndZeroDepth() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0.5f, c, 0, 2);
        assertEquals(java.util.List.of(0.5f, 1f, 1.5f, 2f), java.util.List.of(c[0], c[1], c[2], c[3]));
        Gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0f, c, 0, 2);
        assertEquals(java.util.List.of(0f, 0f, 0f, 0f), java.util.List.of(c[0], c[1], c[2], c[3]));
        Gemm.sgemm(false, false, 0, 5, 3, 1f, new float[0], 0, 3, new float[15], 0, 5, 0f, new float[0], 0, 5);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 1, 1, 1f, c, 0, 1, c, 0, 1, 0f, c, 0, 1));
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    private static double[] randomD(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() * 2 - 1;
        return x;
    }
}
