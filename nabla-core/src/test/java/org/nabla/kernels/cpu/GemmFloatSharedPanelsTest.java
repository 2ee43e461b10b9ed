package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shared-panel path ({@link GemmFloatSharedPanels}) called directly on sizes that are not multiples of its blocks:
 * against a float64 reference, and bit for bit against the one-thread blocked path (the same K blocks, so the same
 * bits) on one, two and four threads, with alpha/beta, padding, offsets, an epilogue and a C allocated alongside.
 */
class GemmFloatSharedPanelsTest {
    /**
     * m x n x k: A smaller than one block (m below MC, k below KC); A blocks with a short, odd last sliver; three K
     * blocks (k = 2 KC + 1) and an edge B sliver; two column panels (n above the panel width) with two K blocks.
     */
    private static final int[][] SIZES = {{5, 33, 7}, {270, 100, 300}, {129, 70, 1025}, {40, 2100, 70},
        {150, 2100, 600}};

    @Test
    void matchesFloat64AndTheOneThreadPathBitForBit() {
        Random rnd = new Random(21);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                boolean plain = t % 2 == 0;
                int m = s[0], n = s[1], k = s[2], off = plain ? 0 : 3, pad = plain ? 0 : 5;
                float alpha = plain ? 1f : -0.75f, beta = plain ? 0f : 1.5f;
                int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                float[] a = GemmPathsTest.random(rnd, off + (ta ? k : m) * lda);
                float[] b = GemmPathsTest.random(rnd, off + (tb ? n : k) * ldb);
                float[] c0 = GemmPathsTest.random(rnd, off + m * ldc);
                float[] one = c0.clone();
                GemmFloat.gemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, one, off, ldc, 1, null);
                String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
                GemmPathsTest.checkAgainstFloat64(what, m, n, k, ta, tb, alpha, a, off, lda, b, ldb, beta, c0, one, ldc);
                for (int threads : new int[] {1, 2, 4}) {
                    float[] c = c0.clone();
                    GemmFloatSharedPanels.run(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta,
                            new float[][] {c}, null, off, ldc, threads, null);
                    assertArrayEquals(one, c, what + " threads=" + threads);
                }
            }
        }
    }

    @Test
    void appliesTheEpilogueOnceAfterTheLastKBlock() {
        Random rnd = new Random(22);
        int m = 200, n = 2100, k = 700;
        float[] a = GemmPathsTest.random(rnd, m * k), b = GemmPathsTest.random(rnd, k * n);
        float[] bias = GemmPathsTest.random(rnd, n);
        GemmEpilogue relu = new GemmEpilogue(bias, 0, true);
        float[] expected = new float[m * n];
        GemmFloat.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n, 1, relu);
        float[][] c = new float[1][];
        GemmFloatSharedPanels.run(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, () -> c[0] = new float[m * n],
                0, n, 2, relu);
        assertArrayEquals(expected, c[0]);
        for (float x : c[0]) {
            if (!(x >= 0f)) fail("ReLU left " + x);
        }
    }

    /** Through Gemm's dispatch (this path when {@code nabla.gemm.shared} is on, else the private strips). */
    @Test
    void aWideProductKeepsTheOneThreadBitsOnEitherPath() {
        Random rnd = new Random(23);
        int m = 1030, n = 1100, k = 600;
        assertEquals(GemmFloatSharedPanels.ENABLED, GemmFloatSharedPanels.applies(m, n, 2));
        float[] a = GemmPathsTest.random(rnd, m * k), b = GemmPathsTest.random(rnd, k * n);
        float[] one = new float[m * n];
        GemmFloat.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, one, 0, n, 1, null);
        for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(one, Gemm.sgemmNew(false, false, m, n, k, a, 0, k, b, 0, n), "rep " + rep);
        }
    }
}
