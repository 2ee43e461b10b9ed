package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.CallContext;
import org.nabla.nn.Ref;

/**
 * The fused LstmSequence, GruSequence and SimpleRnnSequence ops (one node for the whole time loop) compute what the
 * unrolled loop of (fused) cells does
 * (which RecurrentKerasTest checks against Keras): outputs, final states and every gradient, with masks at either
 * end and inside (a fully masked row too), backwards, with returned sequences, zero outputs for masked steps and
 * initial states; eagerly and traced.
 */
class RecurrentSequenceTest {
    private static final int B = 3, T = 7, F = 5, U = 4;

    /** Row 0 unmasked, row 1 padded at the end, row 2 masked at the start, inside, and the end; or none at all. */
    private static Tensor mask(boolean some) {
        if (!some) return null;
        byte[] m = new byte[B * T];
        for (int t = 0; t < T; t++) {
            m[t] = 1;
            m[T + t] = (byte) (t < 4 ? 1 : 0);
            m[2 * T + t] = (byte) (t == 0 || t == 3 || t == 6 ? 0 : 1);
        }
        return Tensor.wrap(DType.BOOL, Shape.of(B, T), m);
    }

    private static Tensor floats(int n, long seed, int... shape) {
        double[] d = Ref.random(n, seed, -1, 1);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) d[i];
        return Tensor.wrap(DType.FLOAT32, Shape.of(shape), f);
    }

    /** Outputs (last or sequence, h, c) and the gradients of sum(w * each output) w.r.t. x, h0, c0 and the weights. */
    private static List<float[]> run(RecurrentLayer layer, Tensor x, Tensor h0, Tensor c0, Tensor mask, boolean traced) {
        java.util.function.Function<Tensor[], Tensor[]> body = in -> {
            Tensor[] inputs = in;
            List<Variable> weights = layer.weights();
            try (GradientTape tape = new GradientTape(true)) {
                for (Tensor t : in) tape.watch(t);
                Tensor[] out = layer.callAll(inputs, mask, CallContext.INFERENCE);
                Tensor loss = null;
                for (int i = 0; i < out.length; i++) {
                    Tensor w = floats((int) out[i].shape().size(), 100 + i, out[i].shape().dims());
                    Tensor term = Ops.sum(Ops.mul(out[i], w));
                    loss = loss == null ? term : Ops.add(loss, term);
                }
                List<Tensor> result = new ArrayList<>(List.of(out));
                result.addAll(List.of(tape.gradient(loss, (Object[]) in)));
                result.addAll(tape.gradient(loss, weights));
                return result.toArray(Tensor[]::new);
            }
        };
        Tensor[] args = h0 == null ? new Tensor[] {x} : c0 == null ? new Tensor[] {x, h0} : new Tensor[] {x, h0, c0};
        Tensor[] r = traced ? TracedFunction.of(body).call(args) : body.apply(args);
        List<float[]> out = new ArrayList<>();
        for (Tensor t : r) out.add(t.toFloatArray());
        return out;
    }

    @Test
    void theFusedLoopEqualsTheUnrolledCells() {
        Tensor x = floats(B * T * F, 1, B, T, F);
        Tensor h0 = floats(B * U, 2, B, U), c0 = floats(B * U, 3, B, U);
        List<Config> all = configurations();
        for (int i = 0; i < all.size(); i++) {
            Config c = all.get(i);
            check(x, c.initial() ? h0 : null, c.initial() ? c0 : null, mask(c.masked()), c.sequences(), c.backwards(),
                    c.zeroOut(), i % 2 == 1);
        }
        assertEquals(24, all.size());
    }

    /** One layer configuration: returned sequences, backwards, zero outputs for masked steps, a mask, initial states. */
    private record Config(boolean sequences, boolean backwards, boolean zeroOut, boolean masked, boolean initial) { }

    /** Every configuration but zero outputs without a mask (nothing to zero): 24. */
    private static List<Config> configurations() {
        List<Config> all = new ArrayList<>();
        for (int bits = 0; bits < 32; bits++) {
            Config c = new Config((bits & 16) != 0, (bits & 8) != 0, (bits & 4) != 0, (bits & 2) != 0, (bits & 1) != 0);
            if (!c.zeroOut() || c.masked()) all.add(c);
        }
        return all;
    }

    @Test
    void theFusedGruLoopEqualsTheUnrolledCells() {
        Tensor x = floats(B * T * F, 1, B, T, F);
        Tensor h0 = floats(B * U, 2, B, U);
        List<Config> all = configurations();
        for (int i = 0; i < all.size(); i++) {
            Config c = all.get(i);
            checkGru(x, c.initial() ? h0 : null, mask(c.masked()), c.sequences(), c.backwards(), c.zeroOut(),
                    i % 2 == 1, i % 3 != 2);
        }
    }

    private static void checkGru(Tensor x, Tensor h0, Tensor mask, boolean sequences, boolean backwards,
                                 boolean zeroOut, boolean traced, boolean bias) {
        GRU fused = (GRU) new GRU(U).useBias(bias).returnSequences(sequences).returnState(true).goBackwards(backwards);
        GRU plain = (GRU) new GRU(U).useBias(bias).returnSequences(sequences).returnState(true).goBackwards(backwards);
        fused.zeroOutputForMask(zeroOut);
        plain.zeroOutputForMask(zeroOut);
        plain.fusedSequence(false);
        fused.seed(11);
        plain.seed(11);
        Tensor[] args = h0 == null ? new Tensor[] {x} : new Tensor[] {x, h0};
        fused.callAll(args, null, CallContext.INFERENCE);
        plain.callAll(args, null, CallContext.INFERENCE);
        for (int i = 0; i < fused.weights().size(); i++) plain.weights().get(i).assign(fused.weights().get(i).read());
        Tensor xw = floats(B * T * 3 * U, 5, B, T, 3 * U);
        assertNotNull(fused.fusedLoop(xw, mask, new Tensor[1]), "the fused layer runs GruSequence");
        assertNull(plain.fusedLoop(xw, mask, new Tensor[1]), "the plain layer runs the unrolled cells");
        List<float[]> a = runGru(fused, x, h0, mask, traced), b = runGru(plain, x, h0, mask, traced);
        String what = "GRU sequences " + sequences + ", backwards " + backwards + ", zero outputs " + zeroOut
                + ", mask " + (mask != null) + ", initial state " + (h0 != null) + ", traced " + traced + ", bias "
                + bias;
        assertEquals(b.size(), a.size(), what);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), 2e-5f, what + ", result " + i);
    }

    @Test
    void theFusedSimpleRnnLoopEqualsTheUnrolledSteps() {
        Tensor x = floats(B * T * F, 1, B, T, F);
        Tensor h0 = floats(B * U, 2, B, U);
        List<Config> all = configurations();
        for (int i = 0; i < all.size(); i++) {
            Config c = all.get(i);
            for (String activation : new String[] {"tanh", "relu"}) {
                checkSimpleRnn(x, c.initial() ? h0 : null, mask(c.masked()), c.sequences(), c.backwards(),
                        c.zeroOut(), i % 2 == 1, i % 3 != 2, activation);
            }
        }
    }

    private static void checkSimpleRnn(Tensor x, Tensor h0, Tensor mask, boolean sequences, boolean backwards,
                                       boolean zeroOut, boolean traced, boolean bias, String activation) {
        SimpleRNN fused = (SimpleRNN) new SimpleRNN(U).useBias(bias).returnSequences(sequences).returnState(true)
                .goBackwards(backwards).activation(activation);
        SimpleRNN plain = (SimpleRNN) new SimpleRNN(U).useBias(bias).returnSequences(sequences).returnState(true)
                .goBackwards(backwards).activation(activation);
        fused.zeroOutputForMask(zeroOut);
        plain.zeroOutputForMask(zeroOut);
        plain.fusedSequence(false);
        fused.seed(11);
        plain.seed(11);
        Tensor[] args = h0 == null ? new Tensor[] {x} : new Tensor[] {x, h0};
        fused.callAll(args, null, CallContext.INFERENCE);
        plain.callAll(args, null, CallContext.INFERENCE);
        for (int i = 0; i < fused.weights().size(); i++) plain.weights().get(i).assign(fused.weights().get(i).read());
        Tensor xw = floats(B * T * U, 5, B, T, U);
        assertNotNull(fused.fusedLoop(xw, mask, new Tensor[1]), "the fused layer runs SimpleRnnSequence");
        assertNull(plain.fusedLoop(xw, mask, new Tensor[1]), "the plain layer runs the unrolled steps");
        List<float[]> a = run(fused, x, h0, null, mask, traced), b = run(plain, x, h0, null, mask, traced);
        String what = "SimpleRNN " + activation + ", sequences " + sequences + ", backwards " + backwards + ", zero outputs " + zeroOut
                + ", mask " + (mask != null) + ", initial state " + (h0 != null) + ", traced " + traced + ", bias "
                + bias;
        assertEquals(b.size(), a.size(), what);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), 2e-5f, what + ", result " + i);
    }

    private static List<float[]> runGru(GRU layer, Tensor x, Tensor h0, Tensor mask, boolean traced) {
        return run(layer, x, h0, null, mask, traced);
    }

    private static void check(Tensor x, Tensor h0, Tensor c0, Tensor mask, boolean sequences, boolean backwards,
                              boolean zeroOut, boolean traced) {
        LSTM fused = (LSTM) new LSTM(U).returnSequences(sequences).returnState(true).goBackwards(backwards);
        LSTM plain = (LSTM) new LSTM(U).returnSequences(sequences).returnState(true).goBackwards(backwards);
        fused.zeroOutputForMask(zeroOut);
        plain.zeroOutputForMask(zeroOut);
        plain.fusedSequence(false);
        fused.seed(11);
        plain.seed(11);
        Tensor[] args = h0 == null ? new Tensor[] {x} : new Tensor[] {x, h0, c0};
        fused.callAll(args, null, CallContext.INFERENCE);
        plain.callAll(args, null, CallContext.INFERENCE);
        for (int i = 0; i < 3; i++) plain.weights().get(i).assign(fused.weights().get(i).read());
        Tensor xw = floats(B * T * 4 * U, 5, B, T, 4 * U);
        assertNotNull(fused.fusedLoop(xw, mask, new Tensor[2]), "the fused layer runs LstmSequence");
        assertNull(plain.fusedLoop(xw, mask, new Tensor[2]), "the plain layer runs the unrolled cells");
        List<float[]> a = run(fused, x, h0, c0, mask, traced), b = run(plain, x, h0, c0, mask, traced);
        String what = "sequences " + sequences + ", backwards " + backwards + ", zero outputs " + zeroOut + ", mask "
                + (mask != null) + ", initial states " + (h0 != null) + ", traced " + traced;
        assertEquals(b.size(), a.size(), what);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), 2e-5f, what + ", result " + i);
    }
}
