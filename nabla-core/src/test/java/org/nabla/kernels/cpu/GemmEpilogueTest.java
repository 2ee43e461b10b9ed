package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#sgemmBias}: the bias + ReLU epilogue on every GEMM path (matrix-vector, small loop, narrow kernel,
 * B read in place, B packed with K split in blocks, several B panels), against a float64 reference and bit for bit
 * against the product followed by a separate bias/ReLU pass (what MatMul + BiasRelu computed), with any thread count.
 */
class GemmEpilogueTest {
    private static final int[][] SIZES = {
        {1, 128, 784}, {1, 10, 128}, {5, 1, 9}, {3, 5, 7}, {13, 29, 17}, // gemv, small
        {1000, 10, 128}, {37, 16, 300}, {20, 3, 700},                    // narrow (n <= one vector)
        {32, 128, 784}, {200, 45, 70},                                   // B read in place
        {300, 128, 784}, {257, 33, 1100}, {300, 1100, 40},              // B packed; K blocks; two B panels
    };

    @Test
    void biasAndReluMatchTheReferenceAndTheUnfusedBitsOnEveryPath() {
        Random rnd = new Random(11);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                for (boolean relu : new boolean[] {false, true}) {
                    check(rnd, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, relu);
                }
            }
        }
    }

    private static void check(Random rnd, int m, int n, int k, boolean ta, boolean tb, boolean relu) {
        String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " relu=" + relu;
        int off = 2, lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 3, ldc = n + 2, biasOff = 4;
        float[] a = random(rnd, off + (ta ? k : m) * lda), b = random(rnd, off + (tb ? n : k) * ldb);
        float[] bias = random(rnd, biasOff + n);
        float[] fused = new float[off + m * ldc];
        java.util.Arrays.fill(fused, Float.NaN); // C is not read (beta 0) and the padding is not written
        Gemm.sgemmBias(ta, tb, m, n, k, a, off, lda, b, off, ldb, bias, biasOff, relu, fused, off, ldc);
        float[] product = new float[off + m * ldc];
        Gemm.sgemm(ta, tb, m, n, k, 1f, a, off, lda, b, off, ldb, 0f, product, off, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = bias[biasOff + j];
                for (int p = 0; p < k; p++) {
                    ref += (double) a[off + (ta ? p * lda + i : i * lda + p)] * b[off + (tb ? j * ldb + p : p * ldb + j)];
                }
                if (relu) ref = Math.max(ref, 0);
                int ci = off + i * ldc + j;
                float unfused = product[ci] + bias[biasOff + j];
                if (relu) unfused = Math.max(unfused, 0f);
                assertEquals(Float.floatToIntBits(unfused), Float.floatToIntBits(fused[ci]), what + " at " + i + "," + j);
                assertEquals(ref, fused[ci], 1e-4 * Math.sqrt(k) * 4, what + " reference at " + i + "," + j);
            }
            for (int j = n; j < ldc && off + i * ldc + j < fused.length; j++) {
                assertEquals(Float.NaN, fused[off + i * ldc + j], what + " padding written at " + i + "," + j);
            }
        }
    }

    @Test
    void theEpilogueDoesNotDependOnTheThreadCount() {
        Random rnd = new Random(12);
        for (int[] s : new int[][] {{300, 128, 784}, {200, 64, 600}, {300, 1100, 40}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = random(rnd, m * k), b = random(rnd, k * n), bias = random(rnd, n);
            float[] one = new float[m * n], many = new float[m * n];
            GemmFloat.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, one, 0, n, 1,
                    new GemmEpilogue(bias, 0, true));
            GemmFloat.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, many, 0, n, 4,
                    new GemmEpilogue(bias, 0, true));
            assertArrayEquals(one, many, "m=" + m + " n=" + n + " k=" + k);
            float[] narrowOne = new float[m * 10], narrowMany = new float[m * 10];
            GemmFloatNarrow.gemm(false, false, m, 10, k, 1f, a, 0, k, b, 0, 10, 0f, narrowOne, 0, 10, 1,
                    new GemmEpilogue(bias, 0, false));
            GemmFloatNarrow.gemm(false, false, m, 10, k, 1f, a, 0, k, b, 0, 10, 0f, narrowMany, 0, 10, 4,
                    new GemmEpilogue(bias, 0, false));
            assertArrayEquals(narrowOne, narrowMany, "narrow m=" + m + " k=" + k);
        }
    }

    @Test
    void emptyKGivesTheBiasAndAShortBiasIsRejected() {
        float[] c = new float[6];
        Gemm.sgemmBias(false, false, 2, 3, 0, new float[0], 0, 1, new float[0], 0, 3, new float[] {1, -2, 3}, 0, true,
                c, 0, 3);
        assertArrayEquals(new float[] {1, 0, 3, 1, 0, 3}, c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.sgemmBias(false, false,
                2, 3, 1, new float[2], 0, 1, new float[3], 0, 3, new float[] {1, 2}, 0, false, c, 0, 3));
        assertEquals("gemm: bias needs 3 values from offset 0, has 2", e.getMessage());
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
