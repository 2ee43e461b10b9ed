package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;

/**
 * {@link ImplicitConv} against direct float64 loops: filters read in place (OC a multiple of NR) and packed (partial
 * panels), channels that are not a multiple of the vector width, one channel, strides, padding, row dilation, inputs
 * larger than the windows need, batch 1, pixel counts that leave a partial tile, and the bias + ReLU epilogue.
 */
class ImplicitConvTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(5);

    /** One convolution: input [n, h, w, c], filter [kh, kw, c, oc]. */
    record Case(int n, int h, int w, int c, int kh, int kw, int oc, int sh, int sw, String padding, int dh) {}

    static float[] random(int size) {
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) v[i] = (float) RANDOM.nextDouble(-1, 1);
        return v;
    }

    static NnOps.Window2D window(Case k) {
        Attrs a = Attrs.of("strides", new int[] {k.sh, k.sw}, "padding", k.padding, "dilations", new int[] {k.dh, 1});
        return NnOps.conv2dWindow(Shape.of(k.n, k.h, k.w, k.c), Shape.of(k.kh, k.kw, k.c, k.oc),
                NnOps.CONV2D.resolveAttrs(a));
    }

    /** act(conv + bias) in float64 by direct loops over every output and tap. */
    static double[] reference(Case k, NnOps.Window2D w, float[] x, float[] f, float[] bias, boolean relu) {
        int oh = w.outH(), ow = w.outW();
        double[] y = new double[k.n * oh * ow * k.oc];
        for (int b = 0; b < k.n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < k.oc; o++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int p = 0; p < k.kh; p++) {
                            for (int q = 0; q < k.kw; q++) {
                                int ih = i * k.sh - w.padTop() + p * k.dh, iw = j * k.sw - w.padLeft() + q;
                                if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) continue;
                                for (int ch = 0; ch < k.c; ch++) {
                                    s += (double) x[((b * k.h + ih) * k.w + iw) * k.c + ch]
                                            * f[((p * k.kw + q) * k.c + ch) * k.oc + o];
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * k.oc + o] = relu ? Math.max(s, 0) : s;
                    }
                }
            }
        }
        return y;
    }

    static void check(Case k, boolean withBias, boolean relu) {
        NnOps.Window2D w = window(k);
        float[] x = random(k.n * k.h * k.w * k.c), f = random(k.kh * k.kw * k.c * k.oc);
        float[] bias = withBias ? random(k.oc) : null;
        float[] y = new float[k.n * w.outH() * w.outW() * k.oc];
        java.util.Arrays.fill(y, Float.NaN); // every element must be written
        ImplicitConv.forward(x, k.n, k.h, k.w, k.c, w, f, k.oc, bias, relu, y);
        double[] expected = reference(k, w, x, f, bias, relu);
        double tol = 1e-5 * k.kh * k.kw * k.c;
        for (int i = 0; i < y.length; i++) assertEquals(expected[i], y[i], tol, k + " element " + i);
    }

    @Test
    void matchesDirectLoops() {
        Case[] cases = {
            new Case(1, 28, 28, 1, 3, 3, 32, 1, 1, "VALID", 1), // the reference cnn's first layer, batch 1
            new Case(3, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1), // its second layer
            new Case(2, 7, 9, 5, 3, 3, 33, 1, 1, "SAME", 1), // odd channels, a partial second panel
            new Case(2, 9, 8, 17, 3, 2, 10, 2, 2, "SAME", 1), // stride 2, uneven SAME padding
            new Case(1, 10, 11, 3, 2, 3, 32, 2, 3, "VALID", 1), // windows leave input rows and columns unread
            new Case(2, 9, 9, 4, 3, 3, 7, 1, 1, "VALID", 2), // row dilation
            new Case(1, 5, 5, 3, 1, 1, 64, 1, 1, "VALID", 1), // pointwise, 25 pixels: a partial tile
            new Case(1, 1, 1, 2, 1, 1, 1, 1, 1, "SAME", 1), // one pixel, one output channel
        };
        for (Case k : cases) {
            check(k, false, false);
            check(k, true, true);
            check(k, true, false);
        }
    }

    /**
     * Convolutions with few terms per output take {@link ImplicitConvSmallK}'s kernel: against float64 loops, and bit
     * for bit the general kernel's values (same sums in the same order): one and several channels, strides 1 and 2,
     * SAME and VALID, row dilation, partial panels and partial tiles.
     */
    @Test
    void smallKernelMatchesDirectLoopsAndTheGeneralKernel() {
        Case[] cases = {
            new Case(3, 28, 28, 1, 3, 3, 32, 1, 1, "VALID", 1), // K = 9: the reference cnn's first layer
            new Case(3, 11, 9, 1, 3, 3, 40, 2, 2, "SAME", 1), // a partial second panel, stride 2
            new Case(2, 8, 7, 2, 2, 2, 16, 1, 2, "SAME", 1), // K = 8, half a panel
            new Case(2, 9, 10, 3, 3, 3, 20, 2, 1, "VALID", 2), // K = 27, row dilation
            new Case(1, 5, 5, 1, 1, 1, 3, 1, 1, "VALID", 1), // K = 1, 25 pixels: a partial tile
        };
        for (Case k : cases) {
            assertTrue(ImplicitConvSmallK.applies(k.kh * k.kw * k.c), k.toString());
            for (int variant = 0; variant < 3; variant++) {
                boolean withBias = variant > 0, relu = variant == 1;
                check(k, withBias, relu);
                NnOps.Window2D w = window(k);
                float[] x = random(k.n * k.h * k.w * k.c), f = random(k.kh * k.kw * k.c * k.oc);
                float[] bias = withBias ? random(k.oc) : null;
                float[] small = new float[k.n * w.outH() * w.outW() * k.oc], general = new float[small.length];
                ImplicitConv.forward(x, k.n, k.h, k.w, k.c, w, f, k.oc, bias, relu, small, true);
                ImplicitConv.forward(x, k.n, k.h, k.w, k.c, w, f, k.oc, bias, relu, general, false);
                assertArrayEquals(general, small, k + ": small-K kernel differs from the general one");
            }
        }
    }

    /** dFilter [kh, kw, c, oc] of sum(dy * conv(x, f)) in float64 by direct loops. */
    static double[] filterGradReference(Case k, NnOps.Window2D w, float[] x, float[] dy) {
        double[] df = new double[k.kh * k.kw * k.c * k.oc];
        for (int b = 0; b < k.n; b++) {
            for (int i = 0; i < w.outH(); i++) {
                for (int j = 0; j < w.outW(); j++) {
                    for (int p = 0; p < k.kh; p++) {
                        for (int q = 0; q < k.kw; q++) {
                            int ih = i * k.sh - w.padTop() + p * k.dh, iw = j * k.sw - w.padLeft() + q;
                            if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) continue;
                            for (int ch = 0; ch < k.c; ch++) {
                                double xv = x[((b * k.h + ih) * k.w + iw) * k.c + ch];
                                for (int o = 0; o < k.oc; o++) {
                                    df[((p * k.kw + q) * k.c + ch) * k.oc + o] +=
                                            xv * dy[((b * w.outH() + i) * w.outW() + j) * k.oc + o];
                                }
                            }
                        }
                    }
                }
            }
        }
        return df;
    }

    @Test
    void filterGradientMatchesDirectLoops() {
        int nr = ImplicitConv.NR;
        Case[] cases = {
            new Case(2, 28, 28, 1, 3, 3, nr, 1, 1, "VALID", 1), // K = 9: a partial row tile
            new Case(3, 13, 13, 32, 3, 3, 2 * nr, 1, 1, "VALID", 1),
            new Case(2, 7, 9, 5, 3, 3, nr, 1, 1, "SAME", 1), // odd channels, padding
            new Case(2, 9, 8, 17, 3, 2, nr, 2, 2, "SAME", 1), // stride 2, uneven padding
            new Case(1, 10, 11, 3, 2, 3, nr, 2, 3, "VALID", 1),
            new Case(2, 9, 9, 4, 3, 3, nr, 1, 1, "VALID", 2), // row dilation
            new Case(40, 12, 12, 3, 3, 3, nr, 1, 1, "SAME", 1), // many pixel blocks and chunks
            new Case(3, 10, 9, 1, 2, 2, 2 * nr, 2, 1, "SAME", 1), // K = 4: one 6-row tile with 4 rows, two panels
            new Case(3, 10, 9, 1, 1, 2, nr, 1, 1, "VALID", 1), // K = 2: only the 3-row kernel
            new Case(2, 9, 9, 7, 1, 1, nr, 1, 1, "VALID", 1), // K = 7: 6 rows, then 1
            new Case(2, 8, 8, 5, 1, 1, 3 * nr, 1, 1, "VALID", 1), // a wide tile of 5 rows, then a narrow panel
            new Case(2, 8, 7, 11, 1, 1, 4 * nr, 1, 1, "VALID", 1), // K = 11: 6 rows then 5, two wide tiles
        };
        for (Case k : cases) {
            NnOps.Window2D w = window(k);
            float[] x = random(k.n * k.h * k.w * k.c), dy = random(k.n * w.outH() * w.outW() * k.oc);
            float[] df = ImplicitConvFilterGrad.backpropFilter(x, k.n, k.h, k.w, k.c, w, dy, k.oc);
            int image = w.outH() * w.outW() * k.oc;
            float[] byImage = ImplicitConvFilterGrad.backpropFilterByImage(x, k.n, k.h, k.w, k.c, w, k.oc,
                    (b, buffer) -> System.arraycopy(dy, b * image, buffer, 0, image));
            double[] expected = filterGradReference(k, w, x, dy);
            double tol = 1e-5 * k.n * w.outH() * w.outW();
            assertEquals(expected.length, df.length);
            assertEquals(expected.length, byImage.length);
            for (int i = 0; i < df.length; i++) {
                assertEquals(expected[i], df[i], tol, k + " element " + i);
                assertEquals(expected[i], byImage[i], tol, k + " element " + i + ", dY image by image");
            }
        }
    }

    /** The wide tile sums each element's products in the narrow tile's order: the same bits, for 4 and 6 rows. */
    @Test
    void wideFilterGradTileEqualsTwoNarrowOnesBitwise() {
        int nr = ImplicitConv.NR, width = FilterGradWideTile.WIDTH, np = 37, ldg = width + nr;
        float[] x = random(400), dy = random(np * ldg);
        int[] base = new int[np];
        for (int i = 0; i < np; i++) base[i] = (i * 7) % 300;
        int[] koff = {0, 5, 11, 40, 41, 90};
        for (int kr : new int[] {4, 6}) {
            float[] wide = random(ImplicitConv.MR * ldg), narrow = wide.clone();
            FilterGradWideTile.kernel(x, base, np, koff, dy, nr, ldg, wide, 3, kr);
            for (int j = 0; j < width; j += nr) {
                ImplicitConvFilterGrad.kernel(x, base, np, koff, dy, nr + j, ldg, narrow, 3 + j, kr);
            }
            assertArrayEquals(narrow, wide, "rows " + kr);
        }
    }
}
