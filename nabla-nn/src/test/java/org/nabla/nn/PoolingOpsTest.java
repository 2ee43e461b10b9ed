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
}
