package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientChecker;
import org.nabla.autodiff.GradientTape;
import org.nabla.ops.OpException;

/** MaxPoolWithArgmax and its scatter/gather gradients against core's MaxPool2D and finite differences. */
class PoolingOpsTest {
    private static final int[][] CONFIGS = {{2, 2, 2, 2, 0}, {3, 3, 1, 1, 1}, {2, 3, 2, 1, 1}, {3, 2, 2, 2, 0}};

    @Test
    void valuesAndGradientsMatchCoreMaxPool() {
        for (int[] cfg : CONFIGS) {
            int[] k = {cfg[0], cfg[1]}, s = {cfg[2], cfg[3]};
            String pad = cfg[4] == 1 ? "SAME" : "VALID";
            for (boolean f32 : new boolean[] {true, false}) {
                double[] v = Ref.random(2 * 7 * 6 * 3, cfg[0] * 10 + cfg[2], -1, 1);
                Tensor x = f32 ? Ref.f32(v, 2, 7, 6, 3) : Ref.f64(v, 2, 7, 6, 3);
                Tensor[] r = PoolingOps.maxPoolWithArgmax(x, k, s, pad);
                Tensor core = Ops.maxPool2d(x, k, s, pad);
                assertEquals(core.shape(), r[0].shape());
                Ref.assertClose(core.toDoubleArray(), r[0], 0);
                double[] xv = x.toDoubleArray(), y = r[0].toDoubleArray();
                int[] idx = r[1].toIntArray();
                for (int i = 0; i < idx.length; i++) assertEquals(y[i], xv[idx[i]], 0);
                Tensor g = f32 ? Ref.f32(Ref.random(y.length, 5, -1, 1), core.shape().dims())
                        : Ref.f64(Ref.random(y.length, 5, -1, 1), core.shape().dims());
                Tensor mine, theirs;
                try (GradientTape t = new GradientTape(true)) {
                    t.watch(x);
                    Tensor a = Ops.sum(Ops.mul(PoolingOps.maxPoolWithArgmax(x, k, s, pad)[0], g));
                    Tensor b = Ops.sum(Ops.mul(Ops.maxPool2d(x, k, s, pad), g));
                    mine = t.gradient(a, x);
                    theirs = t.gradient(b, x);
                }
                Ref.assertClose(theirs.toDoubleArray(), mine, f32 ? 1e-6 : 1e-12);
            }
        }
    }

    @Test
    void finiteDifferencesFirstAndSecondOrder() {
        double[] v = new double[2 * 5 * 4 * 2];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 37) % v.length) * 0.05;   // distinct: no ties
        Tensor x = Ref.f64(v, 2, 5, 4, 2);
        java.util.function.Function<Tensor[], Tensor[]> f =
                in -> new Tensor[] {PoolingOps.maxPoolWithArgmax(in[0], new int[] {2, 2}, new int[] {1, 2}, "SAME")[0]};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("pool", f, mode, x).assertOk(1e-6);
        }
        GradientChecker.checkSecondOrder("pool", f, GradientChecker.Mode.EAGER, x).assertOk(1e-6);
        OpException e = assertThrows(OpException.class,
                () -> PoolingOps.maxPoolWithArgmax(Ref.f32(new double[4], 2, 2), new int[] {2, 2}, new int[] {2, 2},
                        "VALID"));
        assertTrue(e.getMessage().contains("input must be NHWC (rank 4)"), e.getMessage());
        assertEquals(List.of(), List.of());
    }

    @Test
    void argmaxIndicesWithPaddingTiesAndNan() {
        // [1, 5, 5, 20], SAME 3x3 stride 2: the windows at the edges reach into the padding, and every value is
        // negative, so a padding position (read as 0) would win if it counted; 20 channels fill whole vectors
        int h = 5, w = 5, c = 20;
        double[] v = new double[h * w * c];
        for (int i = 0; i < v.length; i++) v[i] = -1 - (i * 7 % 13) / 4.0; // repeats: ties in most windows
        v[(2 * w + 2) * c + 3] = Double.NaN;            // centre pixel, channel 3: wins all four windows over it
        v[(0 * w + 1) * c + 4] = Double.NaN;            // a NaN after an earlier NaN in the same window stays second
        v[(0 * w + 2) * c + 4] = Double.NaN;
        for (boolean f32 : new boolean[] {true, false}) {
            Tensor x = f32 ? Ref.f32(v, 1, h, w, c) : Ref.f64(v, 1, h, w, c);
            Tensor[] r = PoolingOps.maxPoolWithArgmax(x, new int[] {3, 3}, new int[] {2, 2}, "SAME");
            assertEquals(org.nabla.Shape.of(1, 3, 3, c), r[1].shape());
            int[] idx = r[1].toIntArray();
            double[] y = r[0].toDoubleArray(), xv = x.toDoubleArray();
            for (int i = 0, q = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int ch = 0; ch < c; ch++, q++) {
                        int best = -1; // SAME 3x3 stride 2 on 5: one padding row/column before
                        for (int t = 0; t < 9; t++) {
                            int ih = 2 * i - 1 + t / 3, iw = 2 * j - 1 + t % 3;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            int pos = (ih * w + iw) * c + ch;
                            if (best < 0 || xv[pos] > xv[best] || Double.isNaN(xv[pos]) && !Double.isNaN(xv[best])) {
                                best = pos;
                            }
                        }
                        assertEquals(best, idx[q], "window (" + i + ", " + j + ") channel " + ch);
                        assertEquals(xv[best], y[q], 0);
                    }
                }
            }
            assertTrue(Double.isNaN(y[(1 * 3 + 1) * c + 3]) && idx[(1 * 3 + 1) * c + 3] == (2 * w + 2) * c + 3);
            assertEquals((0 * w + 1) * c + 4, idx[(0 * 3 + 1) * c + 4]); // window (0, 1) covers columns 1 to 3
        }
        OpException e = assertThrows(OpException.class, () -> Ops.runMulti(PoolingOps.MAX_POOL_WITH_ARGMAX,
                org.nabla.ops.Attrs.of("ksize", new int[] {2, 2}, "strides", new int[] {2, 2}, "dataFormat", "NCHW"),
                Ref.f32(new double[16], 1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("only NHWC is supported"), e.getMessage());
    }
}
