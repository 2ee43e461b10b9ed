package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.nn.CallContext;

/**
 * Recurrent dropout as in Keras 3: masks drawn once per sequence (the same at every step), only in training; input
 * masks on x, recurrent masks on h where it enters the recurrent projection; an LSTM or GRU with recurrent dropout
 * draws one mask per gate for both (Keras' implementation 1). Checked against float64 reference loops that apply
 * the layer's own masks, eagerly and traced; the identity at inference.
 */
class RecurrentDropoutTest {
    private static final int N = 2, T = 3, F = 4, U = 3;
    private static final CallContext TRAINING = CallContext.training(Tensors.scalar(7L), 42);

    private static Tensor input() { return Ops.randomNormal(new int[] {N, T, F}, DType.FLOAT32, 0, 1, 5); }

    @Test
    void inferenceIgnoresDropout() {
        Tensor x = input();
        for (RecurrentLayer l : new RecurrentLayer[] {new SimpleRNN(U), new LSTM(U), new GRU(U)}) {
            RecurrentLayer plain = l.copyConfig();
            l.dropout(0.5).recurrentDropout(0.4).returnSequences(true);
            plain.returnSequences(true);
            Tensor y = l.call(x);
            plain.call(x);
            for (int i = 0; i < l.weights().size(); i++) plain.weights().get(i).assign(l.weights().get(i).read());
            assertArrayEquals(plain.call(x).toFloatArray(), y.toFloatArray(), 0f, l.toString());
        }
    }

    @Test
    void simpleRnnDropsWithOneMaskPerSequence() { check(new SimpleRNN(U), 0.5, 0.4); }

    @Test
    void lstmDropsWithAMaskPerGate() { check(new LSTM(U), 0.3, 0.5); }

    @Test
    void lstmWithInputDropoutOnlyKeepsItsFusedLoop() { check(new LSTM(U), 0.5, 0); }

    @Test
    void gruDropsWithAMaskPerGate() {
        check(new GRU(U), 0.4, 0.5);
        check(new GRU(U).resetAfter(false), 0.4, 0.5);
        check(new GRU(U), 0.5, 0);
    }

    @Test
    void ratesAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LSTM(2).recurrentDropout(1));
        assertTrue(e.getMessage().contains("recurrentDropout must be in [0, 1)"), e.getMessage());
        assertEquals(0.25, new GRU(2).dropout(0.25).copyConfig().dropout());
    }

    private static void check(RecurrentLayer l, double rate, double recurrentRate) {
        l.dropout(rate).recurrentDropout(recurrentRate).returnSequences(true);
        Tensor x = input();
        l.build(x.shape());
        for (var w : l.weights()) w.assign(Ops.randomNormal(w.shape().dims(), DType.FLOAT32, 0, 0.5, w.name().length()));
        Tensor eager = l.callAll(new Tensor[] {x}, null, TRAINING)[0];
        Tensor traced = TracedFunction.of(a -> new Tensor[] {l.callAll(a, null, TRAINING)[0]}).call(x)[0];
        int count = recurrentRate > 0 ? l.gates() : 1;
        double[][] dm = masks(l, Tensors.of(new float[N * F], N, F), rate, count, 0);
        double[][] rm = masks(l, Tensors.of(new float[N * U], N, U), recurrentRate, count, 1);
        double[] want = reference(l, x.toFloatArray(), dm, rm);
        String what = l + " dropout " + rate + " recurrent " + recurrentRate;
        assertArrayEquals(want, toDoubles(eager), 1e-5, what + " eager");
        assertArrayEquals(want, toDoubles(traced), 1e-5, what + " traced");
        if (rate > 0) assertTrue(java.util.Arrays.stream(dm[0]).anyMatch(v -> v == 0), what + ": nothing dropped");
    }

    /** The layer's masks for this call (ones where a rate is 0), as float64 [count][batch * width]. */
    private static double[][] masks(RecurrentLayer l, Tensor zeros, double rate, int count, int which) {
        double[][] m = new double[count][];
        Tensor[] t = rate > 0 ? l.dropoutMasks(Ops.onesLike(zeros), rate, count, TRAINING, which) : null;
        for (int i = 0; i < count; i++) {
            m[i] = t == null ? java.util.Arrays.stream(new double[zeros.shape().intSize()]).map(v -> 1).toArray()
                    : toDoubles(t[i]);
        }
        return m;
    }

    /** Keras' cells in float64 with the given masks (a gate's mask: its own, or the only one). */
    private static double[] reference(RecurrentLayer l, float[] x, double[][] dm, double[][] rm) {
        int g = l.gates();
        double[] w = toDoubles(l.kernel().read()), u = toDoubles(l.recurrentKernel().read()), b = toDoubles(l.bias().read());
        boolean gru = l instanceof GRU, resetAfter = gru && ((GRU) l).resetAfter(), lstm = l instanceof LSTM;
        double[] out = new double[N * T * U];
        for (int n = 0; n < N; n++) {
            double[] h = new double[U], c = new double[U];
            for (int t = 0; t < T; t++) {
                double[][] xp = new double[g][U], hp = new double[g][U];
                for (int k = 0; k < g; k++) {
                    double[] dmk = dm[Math.min(k, dm.length - 1)], rmk = rm[Math.min(k, rm.length - 1)];
                    for (int j = 0; j < U; j++) {
                        double sx = b[k * U + j], sh = resetAfter ? b[g * U + k * U + j] : 0;
                        for (int f = 0; f < F; f++) sx += x[(n * T + t) * F + f] * dmk[n * F + f] * w[f * g * U + k * U + j];
                        for (int i = 0; i < U; i++) sh += h[i] * rmk[n * U + i] * u[i * g * U + k * U + j];
                        xp[k][j] = sx;
                        hp[k][j] = sh;
                    }
                }
                double[] next = new double[U];
                for (int j = 0; j < U; j++) {
                    if (lstm) {
                        double i = sig(xp[0][j] + hp[0][j]), f = sig(xp[1][j] + hp[1][j]);
                        double cc = Math.tanh(xp[2][j] + hp[2][j]), o = sig(xp[3][j] + hp[3][j]);
                        c[j] = f * c[j] + i * cc;
                        next[j] = o * Math.tanh(c[j]);
                    } else if (gru) {
                        double z = sig(xp[0][j] + hp[0][j]), r = sig(xp[1][j] + hp[1][j]);
                        double hh;
                        if (resetAfter) {
                            hh = Math.tanh(xp[2][j] + r * hp[2][j]);
                        } else {   // (r * (h * mask)) · U_h
                            double[] rm2 = rm[Math.min(2, rm.length - 1)];
                            double s = 0;
                            for (int i = 0; i < U; i++) {
                                double ri = sig(xp[1][i] + hp[1][i]);
                                s += ri * h[i] * rm2[n * U + i] * u[i * g * U + 2 * U + j];
                            }
                            hh = Math.tanh(xp[2][j] + s);
                        }
                        next[j] = z * h[j] + (1 - z) * hh;
                    } else {
                        next[j] = Math.tanh(xp[0][j] + hp[0][j]);
                    }
                }
                h = next;
                System.arraycopy(h, 0, out, (n * T + t) * U, U);
            }
        }
        return out;
    }

    private static double sig(double v) { return 1 / (1 + Math.exp(-v)); }

    private static double[] toDoubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
