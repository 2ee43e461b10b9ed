package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * {@link GemmPair}: two dense layers in one loop give the bits of the two products run one after the other (on the
 * row-block path, with the weights packed per call and kept, and on the shapes that fall back), and values within
 * float32 rounding of a float64 reference.
 */
class GemmPairTest {
    /** m, k, n1, n2: the mlp at batch 1000 and 300; rows not a multiple of the block or the tile; small shapes. */
    private static final int[][] SIZES = {
        {1000, 784, 128, 10}, {300, 784, 128, 10}, {1001, 100, 40, 3}, {257, 1100, 33, 16}, {300, 70, 1100, 7},
        {1, 784, 128, 10}, {5, 784, 128, 10}, {64, 30, 20, 2}, {300, 20, 8, 4},
    };

    @AfterEach
    void clear() { PackedWeights.clear(); }

    @Test
    void givesTheBitsOfTheTwoProducts() {
        Random rnd = new Random(11);
        for (int[] s : SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0;
                int m = s[0], k = s[1], n1 = s[2], n2 = s[3];
                Layers l = new Layers(rnd, m, k, n1, n2, ta, tb);
                float[] expected = l.twoProducts();
                for (int call = 0; call < 3; call++) { // weights seen, packed, reused
                    float[] c = new float[m * n2];
                    GemmPair.run(ta, m, k, l.a, ta ? m : k, l.w1, tb, n1, l.bias1, true, l.w2, tb, n2, l.bias2,
                            variant == 3, c);
                    assertArrayEquals(expected, c, "m=" + m + " k=" + k + " n1=" + n1 + " n2=" + n2 + " ta=" + ta
                            + " tb=" + tb + " call " + call);
                }
            }
        }
    }

    @Test
    void matchesAFloat64Reference() {
        Random rnd = new Random(12);
        int m = 333, k = 784, n1 = 128, n2 = 10;
        Layers l = new Layers(rnd, m, k, n1, n2, false, false);
        assertTrue(GemmPair.fits(m, k, n1, n2, false), "the row-block path");
        float[] c = new float[m * n2];
        GemmPair.run(false, m, k, l.a, k, l.w1, false, n1, l.bias1, true, l.w2, false, n2, l.bias2, false, c);
        float[] w1 = (float[]) l.w1.data(), w2 = (float[]) l.w2.data();
        for (int i = 0; i < m; i++) {
            double[] hidden = new double[n1];
            double[] hiddenAbs = new double[n1];
            for (int j = 0; j < n1; j++) {
                double sum = l.bias1[j], abs = Math.abs(l.bias1[j]);
                for (int p = 0; p < k; p++) {
                    sum += (double) l.a[i * k + p] * w1[p * n1 + j];
                    abs += Math.abs((double) l.a[i * k + p] * w1[p * n1 + j]);
                }
                hidden[j] = Math.max(sum, 0);
                hiddenAbs[j] = abs;
            }
            for (int j = 0; j < n2; j++) {
                double sum = l.bias2[j], bound = Math.abs(l.bias2[j]);
                for (int p = 0; p < n1; p++) {
                    sum += hidden[p] * w2[p * n2 + j];
                    bound += (hidden[p] + hiddenAbs[p]) * Math.abs(w2[p * n2 + j]);
                }
                // float32 sums of k and n1 terms: each rounding at most 2^-24 of the running magnitude.
                double tol = bound * (k + n1 + 2) * 0x1p-24;
                assertEquals(sum, c[i * n2 + j], tol, "row " + i + " column " + j);
            }
        }
    }

    @Test
    void theRowBlockPathTakesOnlyShapesWhoseArithmeticItRepeats() {
        assertTrue(GemmPair.fits(1000, 784, 128, 10, false));
        assertFalse(GemmPair.fits(1, 784, 128, 10, false), "a matrix-vector product");
        assertFalse(GemmPair.fits(5, 784, 128, 10, false), "B read in place");
        assertTrue(GemmPair.fits(5, 784, 128, 10, true), "a transposed B is packed");
        assertFalse(GemmPair.fits(1000, 784, 128, 1, false), "a matrix-vector second product");
        assertFalse(GemmPair.fits(1000, 784, 128, 40, false), "a wide second product");
        assertFalse(GemmPair.fits(1000, 784, GemmFloat.V, 10, false), "a narrow first product");
    }

    /** Random operands of the two layers, in the requested layouts. */
    private static final class Layers {
        final int m, k, n1, n2;
        final boolean ta, tb;
        final float[] a, bias1, bias2;
        final Tensor w1, w2;

        Layers(Random rnd, int m, int k, int n1, int n2, boolean ta, boolean tb) {
            this.m = m;
            this.k = k;
            this.n1 = n1;
            this.n2 = n2;
            this.ta = ta;
            this.tb = tb;
            a = random(rnd, m * k);
            bias1 = random(rnd, n1);
            bias2 = random(rnd, n2);
            w1 = Tensor.wrap(DType.FLOAT32, tb ? Shape.of(n1, k) : Shape.of(k, n1), random(rnd, k * n1));
            w2 = Tensor.wrap(DType.FLOAT32, tb ? Shape.of(n2, n1) : Shape.of(n1, n2), random(rnd, n1 * n2));
        }

        /** The two products as the unfused graph runs them: sgemmBias, then sgemmBias on its result. */
        float[] twoProducts() {
            float[] hidden = new float[m * n1], c = new float[m * n2];
            Gemm.sgemmBias(ta, tb, m, n1, k, a, 0, ta ? m : k, (float[]) w1.data(), 0, tb ? k : n1, bias1, 0, true,
                    hidden, 0, n1);
            Gemm.sgemmBias(false, tb, m, n2, n1, hidden, 0, n1, (float[]) w2.data(), 0, tb ? n1 : n2, bias2, 0,
                    ta && tb, c, 0, n2);
            return c;
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
