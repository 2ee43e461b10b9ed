package org.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientTape;
import org.nabla.autodiff.GradientChecker;

/** The fused LSTM and GRU cells against float64 reference loops, their gradients by central differences, shape errors. */
class RecurrentOpsTest {
    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    @Test
    void valuesMatchTheGateFormulas() {
        int b = 3, u = 5;
        double[] z = Ref.random(b * 4 * u, 1, -3, 3), cp = Ref.random(b * u, 2, -2, 2);
        Tensor[] hc = RecurrentOps.lstmCell(Ref.f64(z, b, 4 * u), Ref.f64(cp, b, u));
        double[] h = new double[b * u], c = new double[b * u];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < u; j++) {
                int k = r * 4 * u + j;
                c[r * u + j] = sigmoid(z[k + u]) * cp[r * u + j] + sigmoid(z[k]) * Math.tanh(z[k + 2 * u]);
                h[r * u + j] = sigmoid(z[k + 3 * u]) * Math.tanh(c[r * u + j]);
            }
        }
        Ref.assertClose(h, hc[0], 1e-14);
        Ref.assertClose(c, hc[1], 1e-14);
        Tensor[] f32 = RecurrentOps.lstmCell(Ref.f32(z, b, 4 * u), Ref.f32(cp, b, u));
        Ref.assertClose(h, f32[0], 1e-6);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Tensor z = Ref.f64(Ref.random(2 * 12, 3, -2, 2), 2, 12), cp = Ref.f64(Ref.random(6, 4, -1, 1), 2, 3);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("LstmCell h and c", in -> RecurrentOps.lstmCell(in[0], in[1]), mode, z, cp)
                    .assertOk(1e-7);
            GradientChecker.check("LstmCell h only", in -> new Tensor[] {RecurrentOps.lstmCell(in[0], in[1])[0]},
                    mode, z, cp).assertOk(1e-7);
        }
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        int b = 3, u = 19;   // 19: a vector's worth of lanes and a tail
        double[] z = Ref.random(b * 4 * u, 5, -3, 3), cp = Ref.random(b * u, 6, -2, 2);
        double[] rh = Ref.random(b * u, 7, -1, 1), rc = Ref.random(b * u, 8, -1, 1);
        Tensor[][] grads = new Tensor[2][];
        for (int k = 0; k < 2; k++) {
            boolean f64 = k == 0;
            Tensor zt = f64 ? Ref.f64(z, b, 4 * u) : Ref.f32(z, b, 4 * u);
            Tensor ct = f64 ? Ref.f64(cp, b, u) : Ref.f32(cp, b, u);
            try (GradientTape tape = new GradientTape()) {
                tape.watch(zt);
                tape.watch(ct);
                Tensor[] hc = RecurrentOps.lstmCell(zt, ct);
                Tensor loss = Ops.add(Ops.sum(Ops.mul(hc[0], f64 ? Ref.f64(rh, b, u) : Ref.f32(rh, b, u))),
                        Ops.sum(Ops.mul(hc[1], f64 ? Ref.f64(rc, b, u) : Ref.f32(rc, b, u))));
                grads[k] = tape.gradient(loss, zt, ct);
            }
        }
        Ref.assertClose(grads[0][0].toDoubleArray(), grads[1][0], 1e-5);
        Ref.assertClose(grads[0][1].toDoubleArray(), grads[1][1], 1e-5);
    }

    @Test
    void gruValuesMatchTheGateFormulas() {
        int b = 2, u = 19;
        double[] x = Ref.random(b * 3 * u, 11, -3, 3), in = Ref.random(b * 3 * u, 12, -3, 3);
        double[] hp = Ref.random(b * u, 13, -1, 1);
        double[] h = new double[b * u];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < u; j++) {
                int k = r * 3 * u + j;
                double z = sigmoid(x[k] + in[k]), rr = sigmoid(x[k + u] + in[k + u]);
                double hh = Math.tanh(x[k + 2 * u] + rr * in[k + 2 * u]);
                h[r * u + j] = z * hp[r * u + j] + (1 - z) * hh;
            }
        }
        Ref.assertClose(h, RecurrentOps.gruCell(Ref.f64(x, b, 3 * u), Ref.f64(in, b, 3 * u), Ref.f64(hp, b, u)),
                1e-14);
        Ref.assertClose(h, RecurrentOps.gruCell(Ref.f32(x, b, 3 * u), Ref.f32(in, b, 3 * u), Ref.f32(hp, b, u)),
                1e-6);
    }

    @Test
    void gruGradientsMatchCentralDifferencesAndFloat32AgreesWithFloat64() {
        Tensor x = Ref.f64(Ref.random(2 * 9, 14, -2, 2), 2, 9), in = Ref.f64(Ref.random(2 * 9, 15, -2, 2), 2, 9);
        Tensor hp = Ref.f64(Ref.random(6, 16, -1, 1), 2, 3);
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("GruCell", a -> new Tensor[] {RecurrentOps.gruCell(a[0], a[1], a[2])}, mode, x, in,
                    hp).assertOk(1e-7);
        }
        int b = 3, u = 19;
        double[] xv = Ref.random(b * 3 * u, 17, -3, 3), iv = Ref.random(b * 3 * u, 18, -3, 3);
        double[] hv = Ref.random(b * u, 19, -1, 1), rv = Ref.random(b * u, 20, -1, 1);
        Tensor[][] grads = new Tensor[2][];
        for (int k = 0; k < 2; k++) {
            boolean f64 = k == 0;
            Tensor[] args = f64 ? new Tensor[] {Ref.f64(xv, b, 3 * u), Ref.f64(iv, b, 3 * u), Ref.f64(hv, b, u)}
                    : new Tensor[] {Ref.f32(xv, b, 3 * u), Ref.f32(iv, b, 3 * u), Ref.f32(hv, b, u)};
            try (GradientTape tape = new GradientTape()) {
                for (Tensor t : args) tape.watch(t);
                Tensor loss = Ops.sum(Ops.mul(RecurrentOps.gruCell(args[0], args[1], args[2]),
                        f64 ? Ref.f64(rv, b, u) : Ref.f32(rv, b, u)));
                grads[k] = tape.gradient(loss, args[0], args[1], args[2]);
            }
        }
        for (int i = 0; i < 3; i++) Ref.assertClose(grads[0][i].toDoubleArray(), grads[1][i], 1e-5);
    }

    @Test
    void badShapesSaySoAndNameTheOp() {
        var e = assertThrows(RuntimeException.class, () -> RecurrentOps.lstmCell(Ref.f64(new double[10], 2, 5),
                Ref.f64(new double[4], 2, 2)));
        assertTrue(e.getMessage().contains("LstmCell") && e.getMessage().contains("[batch, 4 units]"),
                e.getMessage());
    }
}
