package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientChecker;
import org.nabla.autodiff.GradientTape;

/** Loops on tensor conditions: one While node when traced (no unrolling), eager values, gradients. */
class ConvertedLoopTest {
    static final int T = 5, B = 2, D = 3, H = 4;

    /** The seed's RNN, h(t+1) = tanh(x(t)·W + h(t)·U), as a plain Java for loop over the tensor length of x. */
    static Tensor rnn(Tensor x, Tensor w, Tensor u, Tensor h0) {
        Tensor h = h0;
        Tensor steps = Ops.shape(x).gather(new int[] {0}, 0).reshape();
        for (Tensor t = Tensors.scalar(0); t.less(steps).booleanValue(); t = t.add(1)) {
            h = Ops.tanh(Ops.matmul(Ops.gather(x, t), w).add(Ops.matmul(h, u)));
        }
        return h;
    }

    /** The same with Ops.whileLoop written by hand. */
    static Tensor rnnWhileLoop(Tensor x, Tensor w, Tensor u, Tensor h0) {
        return Ops.whileLoop(v -> v[0].less(T),
                v -> new Tensor[] {v[0].add(1), Ops.tanh(Ops.matmul(Ops.gather(x, v[0]), w).add(Ops.matmul(v[1], u)))},
                new Tensor[] {Tensors.scalar(0), h0})[1];
    }

    static Tensor[] rnnArgs(Tensor[] a) { return new Tensor[] {rnn(a[0], a[1], a[2], a[3])}; }

    private static Tensor[] rnnInputs(long seed) {
        Random r = new Random(seed);
        return new Tensor[] {random(r, T, B, D), random(r, D, H), random(r, H, H), random(r, B, H)};
    }

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * 0.6;
        return Tensors.of(v, shape);
    }

    @Test
    void rnnForLoopEqualsWhileLoopAndEager() {
        Tensor[] in = rnnInputs(1);
        TracedFunction f = AutoGraph.function(ConvertedLoopTest::rnnArgs);
        double[] traced = f.call(in)[0].toDoubleArray();
        double[] eager = rnn(in[0], in[1], in[2], in[3]).toDoubleArray();
        double[] handWritten = rnnWhileLoop(in[0], in[1], in[2], in[3]).toDoubleArray();
        assertArrayEquals(handWritten, eager, 0);
        assertArrayEquals(handWritten, traced, 1e-12);
        List<String> ops = Traces.ops(f, in);
        assertEquals(1, ops.stream().filter("While"::equals).count(), ops.toString());
        assertFalse(ops.contains("Tanh"), "the step is in the While body, not unrolled: " + ops);
    }

    @Test
    void rnnGradientsThroughConvertedCodeMatchFiniteDifferences() {
        Tensor[] in = rnnInputs(2);
        TensorArrayFunction converted = AutoGraph.convert(ConvertedLoopTest::rnnArgs);
        Function<Tensor[], Tensor[]> lossOf = a -> new Tensor[] {Ops.sum(Ops.square(converted.apply(a)[0]))};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("converted rnn", lossOf, mode, in).assertOk(1e-6);
        }
    }

    @Test
    void gradientsInsideATracedFunctionEqualEagerAndHandWrittenWhileLoop() {
        Tensor[] in = rnnInputs(3);
        TensorArrayFunction converted = AutoGraph.convert(ConvertedLoopTest::rnnArgs);
        Function<Tensor[], Tensor[]> step = a -> {
            try (GradientTape tape = GradientTape.start()) {
                for (Tensor t : a) tape.watch(t);
                Tensor loss = Ops.sum(Ops.square(converted.apply(a)[0]));
                return tape.gradient(loss, (Object[]) a);
            }
        };
        Function<Tensor[], Tensor[]> handWritten = a -> {
            try (GradientTape tape = GradientTape.start()) {
                for (Tensor t : a) tape.watch(t);
                Tensor loss = Ops.sum(Ops.square(rnnWhileLoop(a[0], a[1], a[2], a[3])));
                return tape.gradient(loss, (Object[]) a);
            }
        };
        Tensor[] eager = step.apply(in);
        Tensor[] traced = TracedFunction.of(step).call(in);
        Tensor[] whileLoop = TracedFunction.of(handWritten).call(in);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(eager[i].toDoubleArray(), traced[i].toDoubleArray(), 1e-10, "converted, traced " + i);
            assertArrayEquals(whileLoop[i].toDoubleArray(), traced[i].toDoubleArray(), 1e-10, "Ops.whileLoop " + i);
        }
    }

    /** A training step's gradients: the tape's try block calls the loop's method, which is converted on its own. */
    static Tensor[] rnnGradients(Tensor[] a) {
        try (GradientTape tape = GradientTape.start()) {
            for (Tensor t : a) tape.watch(t);
            return tape.gradient(Ops.sum(Ops.square(rnn(a[0], a[1], a[2], a[3]))), (Object[]) a);
        }
    }

    @Test
    void aTapeInTheConvertedMethodAroundAConvertedHelper() {
        Tensor[] in = rnnInputs(4);
        TracedFunction f = AutoGraph.function(ConvertedLoopTest::rnnGradients);
        Tensor[] eager = rnnGradients(in);
        Tensor[] traced = f.call(in);
        for (int i = 0; i < 4; i++) assertArrayEquals(eager[i].toDoubleArray(), traced[i].toDoubleArray(), 1e-10);
        List<String> ops = Traces.ops(f, in);
        assertTrue(ops.stream().filter("While"::equals).count() >= 2, "forward and backward While: " + ops);
    }

    static Tensor breakAndContinue(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor acc = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            i = i.add(1);
            if (Ops.equal(Ops.mod(i, 3), 0).booleanValue()) continue;    // skip multiples of 3
            if (acc.greater(20).booleanValue()) break;
            acc = acc.add(i);
        }
        return acc.mul(100).add(i);
    }

    static Tensor forWithContinue(Tensor n) {
        Tensor acc = Tensors.scalar(0);
        for (Tensor i = Tensors.scalar(0); i.less(n).booleanValue(); i = i.add(1)) {
            if (Ops.equal(Ops.mod(i, 2), 0).booleanValue()) continue;   // odd numbers only
            acc = acc.add(i);
        }
        return acc;
    }

    static Tensor nestedLoops(Tensor n) {
        Tensor total = Tensors.scalar(0);
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            Tensor j = Tensors.scalar(0);
            while (j.less(i).booleanValue()) {
                total = total.add(j);
                j = j.add(1);
            }
            i = i.add(1);
        }
        return total;
    }

    static Tensor nestedBreakAndContinue(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor acc = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            i = i.add(1);
            if (i.greater(2).booleanValue()) {
                if (Ops.equal(Ops.mod(i, 4), 0).booleanValue()) continue;   // nested: the rest is guarded by a flag
                if (acc.greater(30).booleanValue()) break;
                acc = acc.add(100);
            }
            acc = acc.add(i);
        }
        return acc.mul(1000).add(i);
    }

    private static void checkScalarLoop(UnaryTensorFunction fn, int... ns) {
        assertTrue(Traces.agreeOnScalars(fn, ns).contains("While"));
    }

    @Test
    void breakAndContinueAreCarriedAsFlags() {
        checkScalarLoop(ConvertedLoopTest::breakAndContinue, 0, 1, 5, 9, 20);
    }

    @Test
    void breakAndContinueNestedInConditionsGuardTheRestOfTheBody() {
        checkScalarLoop(ConvertedLoopTest::nestedBreakAndContinue, 0, 1, 2, 3, 4, 5, 9);
    }

    @Test
    void continueInAForLoopRunsTheUpdate() {
        checkScalarLoop(ConvertedLoopTest::forWithContinue, 0, 1, 6, 11);
    }

    @Test
    void nestedLoops() {
        checkScalarLoop(ConvertedLoopTest::nestedLoops, 0, 1, 4, 7);
    }

    @Test
    void javaConditionsStayJavaWhileTracing() {
        UnaryTensorFunction f = x -> {
            Tensor y = x;
            for (int k = 0; k < 3; k++) y = y.mul(2f);          // Java loop: unrolled into three Mul nodes
            return y;
        };
        TracedFunction traced = AutoGraph.unary(f);
        assertEquals(8f, traced.apply(Tensors.scalar(1f)).floatValue());
        List<String> ops = Traces.ops(traced, Tensors.scalar(1f));
        assertFalse(ops.contains("While"), ops.toString());
        assertEquals(3, ops.stream().filter("Mul"::equals).count(), ops.toString());
        assertEquals(DType.FLOAT32, traced.apply(Tensors.scalar(1f)).dtype());
    }
}
