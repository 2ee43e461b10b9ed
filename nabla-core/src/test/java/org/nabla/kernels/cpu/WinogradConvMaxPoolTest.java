package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.kernels.cpu.ImplicitConvTest.Case;
import org.nabla.ops.NnOps;

/**
 * {@link WinogradConvMaxPool} (called directly, whatever the batch): exactly the float64 reference where every intermediate is exact (small integers: the
 * transforms' halves and quarters are then exact too), within a rounding bound of it on random data, the same bits
 * run to run and whatever batch (band, thread) an image is computed in, and only where it applies.
 */
class WinogradConvMaxPoolTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    private static final Case[] CASES = {
        new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // the reference cnn's second layer at batch 1
        new Case(37, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // many bands, split over threads, a partial block
        new Case(2, 12, 10, 32, 3, 3, 32, 1, 1, "SAME", 1), // padding, one panel
        new Case(3, 9, 12, 16, 3, 3, 64, 1, 1, "VALID", 1), // odd conv rows (the last one in no window)
    };

    private static float[] integers(int size, int bound) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = RANDOM.nextInt(-bound, bound + 1);
        return v;
    }

    private static float[] uniform(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) RANDOM.nextDouble(-1, 1);
        return v;
    }

    private static float[] run(Case k, float[] x, float[] f, float[] bias) {
        NnOps.Window2D w = ImplicitConvTest.window(k);
        assertTrue(WinogradConvMaxPool.applies(w, 20, k.c(), k.oc(), 2, true, false), k + " should take Winograd");
        float[] y = new float[k.n() * (w.outH() / 2) * (w.outW() / 2) * k.oc()];
        java.util.Arrays.fill(y, Float.NaN); // every element must be written
        WinogradConvMaxPool.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, y);
        return y;
    }

    private static double[] expected(Case k, float[] x, float[] f, float[] bias) {
        NnOps.Window2D w = ImplicitConvTest.window(k);
        return ImplicitConvMaxPoolTest.pooledReference(k, w, ImplicitConvTest.reference(k, w, x, f, bias, true), 2);
    }

    @Test
    void exactOnSmallIntegers() {
        for (Case k : CASES) {
            float[] x = integers(k.n() * k.h() * k.w() * k.c(), 3), f = integers(9 * k.c() * k.oc(), 2);
            float[] bias = integers(k.oc(), 4);
            float[] y = run(k, x, f, bias);
            double[] e = expected(k, x, f, bias);
            int positive = 0;
            for (int i = 0; i < y.length; i++) {
                assertEquals(e[i], y[i], 0.0, k + " element " + i);
                if (y[i] > 0) positive++;
            }
            assertTrue(positive > y.length / 4, k + ": too few nonzero outputs to test anything");
        }
    }

    /**
     * Random data: each output within 1e-6 of the sum of its terms' magnitudes (a few float32 roundings of the
     * transforms' sums; the direct convolution's own error is about a tenth of that).
     */
    @Test
    void closeToTheReferenceOnRandomData() {
        for (Case k : CASES) {
            float[] x = uniform(k.n() * k.h() * k.w() * k.c()), f = uniform(9 * k.c() * k.oc());
            float[] bias = uniform(k.oc());
            float[] y = run(k, x, f, bias);
            double[] e = expected(k, x, f, bias);
            float[] ax = x.clone(), af = f.clone();
            for (int i = 0; i < ax.length; i++) ax[i] = Math.abs(ax[i]);
            for (int i = 0; i < af.length; i++) af[i] = Math.abs(af[i]);
            double[] scale = expected(k, ax, af, null);
            for (int i = 0; i < y.length; i++) assertEquals(e[i], y[i], 1e-6 * scale[i], k + " element " + i);
        }
    }

    @Test
    void sameBitsRunToRunAndInAnyBatch() {
        Case k = new Case(19, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1);
        float[] x = uniform(k.n() * k.h() * k.w() * k.c()), f = uniform(9 * k.c() * k.oc()), bias = uniform(k.oc());
        float[] y = run(k, x, f, bias);
        assertArrayEquals(y, run(k, x, f, bias), "two runs");
        int image = k.h() * k.w() * k.c(), out = y.length / k.n();
        Case one = new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1);
        for (int b = 0; b < k.n(); b++) {
            float[] alone = run(one, java.util.Arrays.copyOfRange(x, b * image, (b + 1) * image), f, bias);
            assertArrayEquals(java.util.Arrays.copyOfRange(y, b * out, (b + 1) * out), alone, "image " + b + " alone");
        }
    }

    @Test
    void onlyInferenceThreeByThreeStrideOneWithTwoByTwoPoolAndRelu() {
        NnOps.Window2D w = ImplicitConvTest.window(CASES[0]);
        assertTrue(WinogradConvMaxPool.applies(w, 20, 32, 64, 2, true, false));
        assertFalse(WinogradConvMaxPool.applies(w, 20, 32, 64, 2, true, true), "training (argmax) keeps the direct path");
        assertFalse(WinogradConvMaxPool.applies(w, 20, 32, 64, 3, true, false), "pool 3");
        assertFalse(WinogradConvMaxPool.applies(w, 20, 32, 64, 2, false, false), "no ReLU");
        assertFalse(WinogradConvMaxPool.applies(w, 20, 1, 64, 2, true, false), "one channel (first layer)");
        assertFalse(WinogradConvMaxPool.applies(w, 20, 32, 10, 2, true, false), "OC not whole panels");
        Case strided = new Case(1, 13, 13, 32, 3, 3, 64, 2, 2, "VALID", 1);
        assertFalse(WinogradConvMaxPool.applies(ImplicitConvTest.window(strided), 20, 32, 64, 2, true, false),
                "stride 2");
        assertFalse(WinogradConvMaxPool.applies(w, 1, 32, 64, 2, true, false), "batch 1: too few tiles");
    }
}
