package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;

/**
 * {@link ImplicitConvInputGrad} against direct float64 loops: the reference cnn's layer, channels that leave a
 * partial panel or are wider than one, strides 1 to 3, SAME (even and uneven), VALID windows that leave input rows
 * and columns unread (their gradient is 0), explicit padding, row and column dilation, batch 1, and pixel counts
 * that leave a partial tile.
 */
class ImplicitConvInputGradTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    /** One convolution: input [n, h, w, c], filter [kh, kw, c, oc]; pads (top, bottom, left, right) when EXPLICIT. */
    record Case(int n, int h, int w, int c, int kh, int kw, int oc, int sh, int sw, String padding, int dh, int dw,
                int[] pads) {
        Case(int n, int h, int w, int c, int kh, int kw, int oc, int sh, int sw, String padding, int dh, int dw) {
            this(n, h, w, c, kh, kw, oc, sh, sw, padding, dh, dw, new int[] {0, 0, 0, 0});
        }

        @Override
        public String toString() {
            return "Case[n=" + n + " h=" + h + " w=" + w + " c=" + c + " k=" + kh + "x" + kw + " oc=" + oc
                    + " strides=" + sh + "," + sw + " " + padding + Arrays.toString(pads) + " dil=" + dh + "," + dw
                    + "]";
        }
    }

    static float[] random(int size) {
        float[] v = new float[size];
        for (int i = 0; i < v.length; i++) v[i] = (float) RANDOM.nextDouble(-1, 1);
        return v;
    }

    static NnOps.Window2D window(Case k) {
        Attrs a = Attrs.of("strides", new int[] {k.sh, k.sw}, "padding", k.padding, "dilations",
                new int[] {k.dh, k.dw}, "explicitPaddings", k.pads);
        return NnOps.conv2dWindow(Shape.of(k.n, k.h, k.w, k.c), Shape.of(k.kh, k.kw, k.c, k.oc),
                NnOps.CONV2D.resolveAttrs(a));
    }

    /** dX of sum(dy * conv(x, f)) in float64: every output pixel's taps scattered back, skipping padding. */
    static double[] reference(Case k, NnOps.Window2D w, float[] f, float[] dy) {
        double[] dx = new double[k.n * k.h * k.w * k.c];
        for (int b = 0; b < k.n; b++) {
            for (int i = 0; i < w.outH(); i++) {
                for (int j = 0; j < w.outW(); j++) {
                    for (int p = 0; p < k.kh; p++) {
                        for (int q = 0; q < k.kw; q++) {
                            int ih = i * k.sh - w.padTop() + p * k.dh, iw = j * k.sw - w.padLeft() + q * k.dw;
                            if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) continue;
                            for (int ch = 0; ch < k.c; ch++) {
                                double s = 0;
                                for (int o = 0; o < k.oc; o++) {
                                    s += (double) dy[((b * w.outH() + i) * w.outW() + j) * k.oc + o]
                                            * f[((p * k.kw + q) * k.c + ch) * k.oc + o];
                                }
                                dx[((b * k.h + ih) * k.w + iw) * k.c + ch] += s;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    static float[] run(Case k, NnOps.Window2D w, float[] f, float[] dy) {
        float[] dx = new float[k.n * k.h * k.w * k.c];
        Arrays.fill(dx, Float.NaN); // every element must be written
        ImplicitConvInputGrad.backpropInput(dy, k.n, k.h, k.w, k.c, w, f, k.oc, dx);
        return dx;
    }

    @Test
    void matchesDirectLoops() {
        int nr = ImplicitConv.NR;
        Case[] cases = {
            new Case(3, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1, 1), // the reference cnn's second layer
            new Case(2, 13, 13, nr, 3, 3, 16, 1, 1, "VALID", 1, 1), // one whole panel, unpadded, in place
            new Case(2, 7, 9, 5, 3, 3, 33, 1, 1, "SAME", 1, 1), // odd channels: a partial panel
            new Case(2, 6, 5, nr + 3, 3, 3, 8, 1, 1, "SAME", 1, 1), // a whole and a partial panel
            new Case(2, 9, 8, 17, 3, 2, 10, 2, 2, "SAME", 1, 1), // stride 2, uneven SAME padding
            new Case(1, 10, 11, 3, 2, 3, 32, 2, 3, "VALID", 1, 1), // windows leave input rows and columns unread
            new Case(2, 9, 9, 4, 3, 3, 7, 1, 1, "VALID", 2, 1), // row dilation
            new Case(1, 11, 12, 6, 3, 2, 5, 1, 2, "SAME", 2, 3), // both dilations, column stride
            new Case(2, 8, 7, 3, 3, 3, 4, 1, 1, "EXPLICIT", 1, 1, new int[] {2, 0, 1, 2}), // explicit, uneven
            new Case(1, 5, 5, 3, 1, 1, 64, 1, 1, "VALID", 1, 1), // pointwise, 25 pixels: a partial tile
            new Case(1, 1, 1, 2, 1, 1, 1, 1, 1, "SAME", 1, 1), // one pixel, one output channel
            new Case(40, 12, 12, 3, 3, 3, 9, 1, 1, "SAME", 1, 1), // many images: the threads split them
        };
        for (Case k : cases) {
            NnOps.Window2D w = window(k);
            float[] f = random(k.kh * k.kw * k.c * k.oc), dy = random(k.n * w.outH() * w.outW() * k.oc);
            float[] dx = run(k, w, f, dy);
            double[] expected = reference(k, w, f, dy);
            double tol = 1e-5 * k.kh * k.kw * k.oc;
            for (int i = 0; i < dx.length; i++) assertEquals(expected[i], dx[i], tol, k + " element " + i);
        }
    }

    /** Each image's sums run in one fixed order whatever the split, so a call repeats bitwise. */
    @Test
    void repeatsBitwise() {
        Case k = new Case(37, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1, 1);
        NnOps.Window2D w = window(k);
        float[] f = random(k.kh * k.kw * k.c * k.oc), dy = random(k.n * w.outH() * w.outW() * k.oc);
        float[] first = run(k, w, f, dy);
        for (int i = 0; i < 3; i++) assertArrayEquals(first, run(k, w, f, dy));
        // one image alone gives the same bits as inside the batch (one thread vs the split)
        Case one = new Case(1, 13, 13, 32, 3, 3, 64, 1, 1, "VALID", 1, 1);
        int image = 13 * 13 * 32, grad = w.outH() * w.outW() * k.oc;
        float[] alone = run(one, w, f, Arrays.copyOfRange(dy, 36 * grad, 37 * grad));
        assertArrayEquals(Arrays.copyOfRange(first, 36 * image, 37 * image), alone);
    }
}
