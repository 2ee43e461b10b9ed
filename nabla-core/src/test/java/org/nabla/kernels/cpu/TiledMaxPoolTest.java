package org.nabla.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.Shape;
import org.nabla.ops.Attrs;
import org.nabla.ops.NnOps;
import org.nabla.ops.PoolWindow;

/**
 * {@link TiledMaxPool} against direct loops: odd sizes (rows and columns no window covers), channel counts below, at
 * and above the vector width, non-square windows, ties (the first maximum wins), NaN (wins over numbers; the first
 * NaN) and infinities.
 */
class TiledMaxPoolTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(3);

    private static float[] data(int size) {
        float[] v = new float[size];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 0.5f};
        for (int i = 0; i < v.length; i++) {
            int r = RANDOM.nextInt(20);
            v[i] = r < special.length ? special[r] : (float) Math.round(RANDOM.nextDouble(-3, 3)); // ties
        }
        return v;
    }

    private static PoolWindow window(Shape in, int kh, int kw) {
        Attrs a = NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize", new int[] {kh, kw}, "strides", new int[] {kh, kw},
                "padding", "VALID"));
        return TiledMaxPool.applicable("MaxPool2D", in, a);
    }

    @Test
    void matchesDirectLoops() {
        int[][] shapes = {{2, 7, 9, 5}, {1, 4, 4, 16}, {3, 11, 11, 37}, {2, 5, 6, 1}, {1, 2, 2, 64}};
        int[][] windows = {{2, 2}, {3, 2}};
        for (int[] s : shapes) {
            for (int[] k : windows) {
                if (s[1] < k[0] || s[2] < k[1]) continue;
                Shape in = Shape.of(s);
                PoolWindow pw = window(in, k[0], k[1]);
                assertNotNull(pw);
                int n = s[0], h = s[1], w = s[2], c = s[3], oh = h / k[0], ow = w / k[1];
                float[] x = data(in.intSize()), g = data(n * oh * ow * c);
                float[] y = new float[g.length], dx = new float[x.length];
                java.util.Arrays.fill(dx, Float.NaN); // all must be written
                TiledMaxPool.forward(x, in, pw, y);
                TiledMaxPool.backward(x, in, pw, g, dx);
                float[] yRef = new float[y.length], dxRef = new float[x.length];
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            for (int ch = 0; ch < c; ch++) {
                                int best = -1;
                                for (int p = 0; p < k[0]; p++) {
                                    for (int q = 0; q < k[1]; q++) {
                                        int at = ((b * h + i * k[0] + p) * w + j * k[1] + q) * c + ch;
                                        double v = x[at];
                                        if (best < 0 || v > x[best] || Double.isNaN(v) && !Double.isNaN(x[best])) {
                                            best = at;
                                        }
                                    }
                                }
                                int o = ((b * oh + i) * ow + j) * c + ch;
                                yRef[o] = x[best];
                                dxRef[best] = g[o];
                            }
                        }
                    }
                }
                assertArrayEquals(yRef, y, java.util.Arrays.toString(s) + " " + java.util.Arrays.toString(k));
                assertArrayEquals(dxRef, dx, java.util.Arrays.toString(s) + " " + java.util.Arrays.toString(k));
            }
        }
    }

    @Test
    void declinesOverlappingPaddedAndChannelsFirstWindows() {
        Shape in = Shape.of(1, 6, 6, 3);
        assertNull(TiledMaxPool.applicable("MaxPool2D", in, NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize",
                new int[] {3, 3}, "strides", new int[] {2, 2}, "padding", "VALID"))));
        assertNull(TiledMaxPool.applicable("MaxPool2D", Shape.of(1, 5, 5, 3), NnOps.MAX_POOL2D.resolveAttrs(
                Attrs.of("ksize", new int[] {2, 2}, "strides", new int[] {2, 2}, "padding", "SAME"))));
        assertNull(TiledMaxPool.applicable("MaxPool2D", in, NnOps.MAX_POOL2D.resolveAttrs(Attrs.of("ksize",
                new int[] {2, 2}, "strides", new int[] {2, 2}, "padding", "VALID", "dataFormat", "NCHW"))));
    }
}
