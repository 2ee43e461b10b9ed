package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every path of {@link Gemm#sgemm} on odd sizes against a float64 reference: the small loop, the matrix-vector
 * products, the narrow-N path, B read in place (m up to {@link GemmFloat#DIRECT_B_MAX_M}) or packed, a transposed
 * A read in place, private B strips per thread for wide products, edge slivers narrower than the micro-tile, one
 * thread or several, alpha/beta, offsets and leading dimensions wider than the matrices.
 */
class GemmPathsTest {
    private static final int[] ODD = {1, 2, 5, 6, 7, 31, 32, 33, 127, 128, 129};

    @Test
    void everyCombinationOfOddSizesAndTransposes() {
        Random rnd = new Random(12);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            for (int m : ODD) {
                for (int n : ODD) {
                    for (int k : ODD) {
                        // half plain, half with alpha, padding and (a third of those without) beta
                        boolean plain = (m + n + k) % 2 == 0;
                        float beta = plain || m % 3 == 0 ? 0f : 1.5f;
                        check(rnd, m, n, k, ta, tb, plain ? 1f : -0.75f, beta, plain ? 0 : 3, plain ? 0 : 5);
                    }
                }
            }
        }
    }

    @Test
    void theMlpStepShapesAndOneDimension784() {
        Random rnd = new Random(784);
        int[] others = {1, 7, 10, 32, 33, 129};
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            for (int x : others) {
                for (int y : others) {
                    check(rnd, 784, x, y, ta, tb, 1f, 0f, 0, 0);
                    check(rnd, x, 784, y, ta, tb, 0.5f, -1f, 2, 3);
                    check(rnd, x, y, 784, ta, tb, 1f, 1f, 1, 7);
                }
            }
        }
    }

    @Test
    void packedAndInPlaceOperandsAcrossBlockBoundaries() {
        Random rnd = new Random(3);
        // m around DIRECT_B_MAX_M (B in place below, packed above), k above KC (several K blocks accumulate), n above
        // NC (two B panels), transposed A with a leading dimension far wider than m, and n wide enough for private B
        // strips per thread (four 256-column strips and a 76-column one, two K blocks, an edge A sliver).
        int[][] sizes = {{256, 70, 300}, {257, 70, 300}, {300, 40, 520}, {40, 2100, 70}, {264, 33, 257},
            {300, 1100, 520}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                check(rnd, s[0], s[1], s[2], ta, tb, 1f, 0f, 0, 0);
                check(rnd, s[0], s[1], s[2], ta, tb, 2f, 0.5f, 5, 33);
            }
        }
    }

    @Test
    void theResultDoesNotDependOnTheNumberOfThreads() {
        Random rnd = new Random(5);
        // {300, 2100, 600}: with several threads, private B strips (GemmFloat.runPrivateB); with one, the shared path.
        int[][] sizes = {{32, 128, 784}, {784, 128, 32}, {300, 301, 600}, {129, 2100, 33}, {300, 2100, 600}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] a = random(rnd, m * k), b = random(rnd, k * n);
                float[] one = new float[m * n];
                GemmFloat.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, one, 0, n, 1, null);
                for (int rep = 0; rep < 5; rep++) {
                    float[] many = new float[m * n];
                    GemmFloat.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, many, 0, n, 4, null);
                    assertArrayEquals(one, many, "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
                }
                float[] narrowOne = new float[m * 10], narrowMany = new float[m * 10];
                int ldbNarrow = tb ? k : 10;
                GemmFloatNarrow.gemm(ta, tb, m, 10, k, 1f, a, 0, lda, b, 0, ldbNarrow, 0f, narrowOne, 0, 10, 1,
                        null);
                GemmFloatNarrow.gemm(ta, tb, m, 10, k, 1f, a, 0, lda, b, 0, ldbNarrow, 0f, narrowMany, 0, 10, 4,
                        null);
                assertArrayEquals(narrowOne, narrowMany, "narrow m=" + m + " k=" + k + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    /**
     * A narrow product with beta != 0 (SGD's fused update of a 10-class layer) rounds twice, as the kernel's own
     * store did: {@code alpha * sums} first (the beta = 0 result), then {@code beta * C + that}; eight-row groups and
     * the rows left over alike, on one thread or several.
     */
    @Test
    void narrowBetaAddsTheBetaZeroResultToScaledC() {
        Random rnd = new Random(10);
        for (boolean ta : new boolean[] {false, true}) {
            for (int m : new int[] {7, 8, 13, 128}) {
                int k = 32, n = 10, lda = ta ? m : k;
                float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                float[] scaled = new float[m * n];
                GemmFloatNarrow.gemm(ta, false, m, n, k, -0.01f, a, 0, lda, b, 0, n, 0f, scaled, 0, n, 1, null);
                for (int threads : new int[] {1, 4}) {
                    float[] c = c0.clone();
                    GemmFloatNarrow.gemm(ta, false, m, n, k, -0.01f, a, 0, lda, b, 0, n, 0.5f, c, 0, n, threads,
                            null);
                    for (int i = 0; i < m * n; i++) {
                        float expected = 0.5f * c0[i] + scaled[i];
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(c[i]),
                                "m=" + m + " ta=" + ta + " threads=" + threads + " at " + i);
                    }
                }
            }
        }
    }

    /** Random A, B, C with row padding {@code pad} and a leading offset {@code off}; checks C and the padding. */
    static void check(Random rnd, int m, int n, int k, boolean ta, boolean tb, float alpha, float beta, int off,
                      int pad) {
        int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
        int lda = ac + pad, ldb = bc + pad, ldc = n + pad;
        float[] a = random(rnd, off + ar * lda);
        float[] b = random(rnd, off + br * ldb);
        float[] c = random(rnd, off + m * ldc);
        float[] c0 = c.clone();
        Gemm.sgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        checkAgainstFloat64("sgemm m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " alpha="
                + alpha + " beta=" + beta + " off=" + off + " pad=" + pad, m, n, k, ta, tb, alpha, a, off, lda, b, ldb,
                beta, c0, c, ldc);
    }

    /**
     * C (after) against alpha * op(A) op(B) + beta * C (before) in float64, within 2e-6 of each element's sum of
     * magnitudes times sqrt(k + 1); the row padding and everything before {@code off} unchanged.
     */
    static void checkAgainstFloat64(String what, int m, int n, int k, boolean ta, boolean tb, float alpha,
                                    float[] a, int off, int lda, float[] b, int ldb, float beta, float[] c0,
                                    float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[off + p * lda + i] : a[off + i * lda + p];
                    double y = tb ? b[off + j * ldb + p] : b[off + p * ldb + j];
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                double before = c0[off + i * ldc + j];
                double expected = alpha * sum + (beta == 0 ? 0 : beta * before);
                double scale = Math.abs(alpha) * abs + Math.abs(beta * before) + 1e-30;
                double got = c[off + i * ldc + j];
                if (!(Math.abs(expected - got) <= 2e-6 * scale * Math.sqrt(k + 1))) {
                    fail(what + " at [" + i + "," + j + "]: expected " + expected + " but was " + got);
                }
            }
            for (int j = n; j < ldc; j++) assertEquals(c0[off + i * ldc + j], c[off + i * ldc + j], "padding");
        }
        for (int i = 0; i < off; i++) assertEquals(c0[i], c[i], "wrote before the offset");
    }

    @Test
    void aBatchOneRowSumsEveryColumnAsOneKOrderFmaChain() {
        // A batch-1 dense layer (m = 1, B row-major): the full vectors and the masked last columns (n % V of them,
        // such as the cnn's 10 outputs) each add their K terms in order with fma, the blocked GEMM's order: bitwise.
        Random rnd = new Random(10);
        for (int n : new int[] {1, 5, 10, 16, 26, 70}) {
            for (int k : new int[] {1, 3, 1600}) {
                for (float beta : new float[] {0f, 1.5f}) {
                    float alpha = beta == 0f ? 1f : -0.75f;
                    float[] a = random(rnd, k), b = random(rnd, k * n), c = random(rnd, n);
                    float[] expected = new float[n];
                    for (int j = 0; j < n; j++) {
                        float sum = beta == 0f ? 0f : beta * c[j];
                        for (int p = 0; p < k; p++) sum = Math.fma(alpha * a[p], b[p * n + j], sum);
                        expected[j] = sum;
                    }
                    Gemm.sgemm(false, false, 1, n, k, alpha, a, 0, k, b, 0, n, beta, c, 0, n);
                    assertArrayEquals(expected, c, "m=1 n=" + n + " k=" + k + " beta=" + beta);
                }
            }
        }
    }

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
