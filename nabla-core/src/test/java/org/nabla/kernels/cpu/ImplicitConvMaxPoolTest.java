package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.kernels.cpu.ImplicitConvTest.Case;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;
import org.nabla.ops.PoolWindow;

/**
 * {@link ImplicitConvMaxPool} against a float64 reference (direct convolution loops, then each window's maximum) and
 * bit for bit against the two kernels it replaces ({@link ImplicitConv} then {@link TiledMaxPool}): pools of 2 and 3,
 * outputs that leave rows and columns outside every window, batch 1 and batches spread over threads, channels that
 * are not a multiple of the vector width, padding and strides, with and without bias and ReLU, the filter packed and
 * (few outputs, whole panels) read in place. The bitwise comparison is of the direct path
 * ({@link ImplicitConvMaxPool#direct}); {@code forward} may take {@link WinogradConvMaxPool} and is held to the
 * float64 reference's tolerance.
 */
class ImplicitConvMaxPoolTest {
    static double[] pooledReference(Case k, NnOps.Window2D w, double[] conv, int p) {
        int ph = w.outH() / p, pw = w.outW() / p;
        double[] y = new double[k.n() * ph * pw * k.oc()];
        for (int b = 0; b < k.n(); b++) {
            for (int i = 0; i < ph; i++) {
                for (int j = 0; j < pw; j++) {
                    for (int o = 0; o < k.oc(); o++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int t = 0; t < p * p; t++) {
                            int r = i * p + t / p, s = j * p + t % p;
                            m = Math.max(m, conv[((b * w.outH() + r) * w.outW() + s) * k.oc() + o]);
                        }
                        y[((b * ph + i) * pw + j) * k.oc() + o] = m;
                    }
                }
            }
        }
        return y;
    }

    private static void check(Case k, int p, boolean withBias, boolean relu) {
        NnOps.Window2D w = ImplicitConvTest.window(k);
        float[] x = ImplicitConvTest.random(k.n() * k.h() * k.w() * k.c());
        float[] f = ImplicitConvTest.random(k.kh() * k.kw() * k.c() * k.oc());
        float[] bias = withBias ? ImplicitConvTest.random(k.oc()) : null;
        int ph = w.outH() / p, pw = w.outW() / p;
        float[] y = new float[k.n() * ph * pw * k.oc()];
        java.util.Arrays.fill(y, Float.NaN); // every element must be written
        ImplicitConvMaxPool.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, relu, p, y);

        double[] expected = pooledReference(k, w, ImplicitConvTest.reference(k, w, x, f, bias, relu), p);
        double tol = 1e-5 * k.kh() * k.kw() * k.c();
        for (int i = 0; i < y.length; i++) assertEquals(expected[i], y[i], tol, k + " pool " + p + " element " + i);

        float[] conv = new float[k.n() * w.outH() * w.outW() * k.oc()];
        ImplicitConv.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, relu, conv);
        Shape convShape = Shape.of(k.n(), w.outH(), w.outW(), k.oc());
        Attrs pool = NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize", new int[] {p, p}, "strides", new int[] {p, p}));
        float[] unfused = new float[y.length];
        TiledMaxPool.forward(conv, convShape, PoolWindow.of("MaxPool2D", convShape, pool), unfused);
        float[] direct = new float[y.length]; // forward may have taken WinogradConvMaxPool (its own test)
        ImplicitConvMaxPool.direct(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, relu, p, direct, null);
        assertArrayEquals(unfused, direct, k + " pool " + p + ": not the unfused kernels' values bit for bit");
    }

    /**
     * With argmax (training): maxima and indices bit for bit those of the stored activation (FusedConv2D's kernel)
     * pooled by direct loops with MaxPoolWithArgmax's rule (taps row-major, the first maximum wins, a NaN wins).
     */
    private static void checkArgmax(Case k, int p, boolean withBias, boolean relu) {
        NnOps.Window2D w = ImplicitConvTest.window(k);
        float[] x = ImplicitConvTest.random(k.n() * k.h() * k.w() * k.c());
        if (x.length > 5) x[5] = Float.NaN; // a NaN activation must win its window
        float[] f = ImplicitConvTest.random(k.kh() * k.kw() * k.c() * k.oc());
        float[] bias = withBias ? ImplicitConvTest.random(k.oc()) : null;
        int oh = w.outH(), ow = w.outW(), ph = oh / p, pw = ow / p, oc = k.oc();
        float[] y = new float[k.n() * ph * pw * oc];
        int[] at = new int[y.length];
        java.util.Arrays.fill(y, Float.NaN);
        java.util.Arrays.fill(at, -1);
        ImplicitConvMaxPool.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, oc, bias, relu, p, y, at);
        float[] act = new float[k.n() * oh * ow * oc];
        ImplicitConv.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, oc, bias, relu, act);
        for (int b = 0; b < k.n(); b++) {
            for (int i = 0; i < ph; i++) {
                for (int j = 0; j < pw; j++) {
                    for (int o = 0; o < oc; o++) {
                        int best = ((b * oh + i * p) * ow + j * p) * oc + o;
                        for (int t = 1; t < p * p; t++) {
                            int idx = ((b * oh + i * p + t / p) * ow + j * p + t % p) * oc + o;
                            float v = act[idx], m = act[best];
                            if (v > m || v != v && m == m) best = idx;
                        }
                        int out = ((b * ph + i) * pw + j) * oc + o;
                        String where = k + " pool " + p + " bias " + withBias + " relu " + relu + " output " + out;
                        assertEquals(best, at[out], where);
                        assertEquals(Float.floatToRawIntBits(act[best]), Float.floatToRawIntBits(y[out]), where);
                    }
                }
            }
        }
    }

    @Test
    void argmaxMatchesThePooledActivation() {
        Case[] cases = {
            new Case(3, 28, 28, 1, 3, 3, 32, 1, 1, "VALID", 1), // the reference cnn's first layer
            new Case(5, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // its second: row and column 11 in no window
            new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // its second at batch 1: the filter read in place
            new Case(2, 7, 9, 5, 3, 3, 33, 1, 1, "SAME", 1), // odd channels: vector lanes and a scalar tail
            new Case(2, 9, 8, 17, 3, 2, 10, 2, 2, "SAME", 1), // stride 2, fewer than V channels
            new Case(37, 12, 12, 1, 3, 3, 16, 1, 1, "VALID", 1), // many bands over threads, K = 9, half a panel
        };
        for (Case k : cases) {
            for (int p : new int[] {2, 3}) {
                checkArgmax(k, p, true, true);
                checkArgmax(k, p, true, false);
                checkArgmax(k, p, false, true);
            }
        }
    }

    @Test
    void matchesDirectLoopsAndTheUnfusedKernels() {
        Case[] cases = {
            new Case(1, 28, 28, 1, 3, 3, 32, 1, 1, "VALID", 1), // the reference cnn's first layer, batch 1
            new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // its second at batch 1: the filter read in place
            new Case(3, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // its second layer: 11x11, row and column 11 unused
            new Case(1, 8, 9, 16, 3, 3, 32, 1, 1, "SAME", 1), // in place, one panel, padding
            new Case(2, 11, 14, 1, 3, 3, 32, 1, 1, "SAME", 1), // K = 9 over padding, bands across conv rows
            new Case(37, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // many bands, split over threads
            new Case(2, 7, 9, 5, 3, 3, 33, 1, 1, "SAME", 1), // odd channels, a partial second panel
            new Case(2, 9, 8, 17, 3, 2, 10, 2, 2, "SAME", 1), // stride 2, uneven SAME padding, fewer than V channels
            new Case(1, 10, 11, 3, 2, 3, 32, 1, 1, "VALID", 1),
            new Case(2, 9, 9, 4, 3, 3, 7, 1, 1, "VALID", 2), // row dilation
        };
        for (Case k : cases) {
            for (int p : new int[] {2, 3}) {
                check(k, p, false, false);
                check(k, p, true, true);
                check(k, p, true, false);
                check(k, p, false, true);
            }
        }
    }

    /**
     * The per-thread working arrays ({@link ConvScratch}) are not cleared between calls: a call whose scratch holds
     * NaN and out-of-range offsets left by earlier work gives the same bits as before, by the direct path and by
     * Winograd (each writes before it reads).
     */
    @Test
    void staleScratchDoesNotChangeTheResult() {
        for (Case k : new Case[] {
            new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // direct, filter in place
            new Case(2, 11, 14, 1, 3, 3, 32, 1, 1, "SAME", 1), // direct, K = 9 kernel, packed filter
            new Case(11, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // 275 tiles: Winograd
        }) {
            NnOps.Window2D w = ImplicitConvTest.window(k);
            float[] x = ImplicitConvTest.random(k.n() * k.h() * k.w() * k.c());
            float[] f = ImplicitConvTest.random(k.kh() * k.kw() * k.c() * k.oc());
            float[] bias = ImplicitConvTest.random(k.oc());
            int size = k.n() * (w.outH() / 2) * (w.outW() / 2) * k.oc();
            float[] before = new float[size], after = new float[size];
            ImplicitConvMaxPool.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, true, 2, before);
            ConvScratch scratch = ConvScratch.get();
            for (int slot = 0; slot < 2; slot++) {
                java.util.Arrays.fill(scratch.floats(slot, 1 << 16), Float.NaN);
                java.util.Arrays.fill(scratch.ints(slot, 1 << 12), Integer.MIN_VALUE);
            }
            ImplicitConvMaxPool.forward(x, k.n(), k.h(), k.w(), k.c(), w, f, k.oc(), bias, true, 2, after);
            assertArrayEquals(before, after, k + ": the stale scratch changed the result");
            for (float v : after) assertEquals(false, Float.isNaN(v), k + ": NaN from the stale scratch");
        }
    }
}
