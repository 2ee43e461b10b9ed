package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientChecker;

/** return inside loops on tensor conditions: the returned value and a "returned" flag are loop vars of one While. */
class ConvertedReturnTest {
    static Tensor firstSquareAbove10(Tensor n) {
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            if (Ops.mul(i, i).greater(10).booleanValue()) return i.mul(100);
            i = i.add(1);
        }
        return i.neg();
    }

    /** The return is in the else branch, so the branch traced first does not return. */
    static Tensor returnInElse(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor acc = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            if (i.less(5).booleanValue()) {
                acc = acc.add(i);
            } else {
                return acc.mul(1000).add(i);
            }
            i = i.add(1);
        }
        return acc;
    }

    /** A return in an inner loop leaves both loops. */
    static Tensor nestedReturn(Tensor n) {
        Tensor i = Tensors.scalar(0);
        while (i.less(n).booleanValue()) {
            Tensor j = Tensors.scalar(0);
            while (j.less(i).booleanValue()) {
                if (Ops.equal(i.mul(j), 6).booleanValue()) return i.mul(10).add(j);
                j = j.add(1);
            }
            i = i.add(1);
        }
        return Tensors.scalar(-1);
    }

    /** An RNN that stops early when the state's sum passes a threshold, returning a tensor of another shape. */
    static Tensor rnnUntil(Tensor x, Tensor w) {
        Tensor h = Ops.zeros(x.dtype(), 2);
        Tensor steps = Ops.shape(x).gather(new int[] {0}, 0).reshape();
        for (Tensor t = Tensors.scalar(0); t.less(steps).booleanValue(); t = t.add(1)) {
            h = Ops.tanh(Ops.gather(x, t).add(Ops.matmul(h.reshape(1, 2), w).reshape(2)));
            if (Ops.sum(h).greater(1.2).booleanValue()) return Ops.sum(h.mul(h.mul(3.0)));
        }
        return Ops.sum(h);
    }

    static Tensor[] rnnArgs(Tensor[] a) { return new Tensor[] {rnnUntil(a[0], a[1])}; }

    private static void checkScalar(UnaryTensorFunction fn, int whiles, int... ns) {
        List<String> ops = Traces.agreeOnScalars(fn, ns);
        assertEquals(whiles, ops.stream().filter("While"::equals).count(), ops.toString());
    }

    @Test
    void returnInsideAWhileLoop() {
        checkScalar(ConvertedReturnTest::firstSquareAbove10, 1, 0, 2, 4, 5, 9);
    }

    @Test
    void returnInTheElseBranchOfALoopBody() {
        checkScalar(ConvertedReturnTest::returnInElse, 1, 0, 3, 5, 6, 9);
    }

    @Test
    void returnFromAnInnerLoopLeavesBoth() {
        checkScalar(ConvertedReturnTest::nestedReturn, 1, 0, 3, 4, 6);
    }

    @Test
    void earlyStoppingRnnValuesAndGradients() {
        Tensor w = Tensors.of(new double[] {0.5, -0.3, 0.2, 0.4}, 2, 2);
        TracedFunction f = AutoGraph.function(ConvertedReturnTest::rnnArgs);
        for (double scale : new double[] {0.1, 0.9}) {       // never stops early; stops after a few steps
            Tensor x = Ops.mul(Tensors.of(new double[] {1, 0.5, 0.8, 0.9, 0.7, 1, 0.6, 0.4}, 4, 2), scale);
            assertEquals(rnnUntil(x, w).doubleValue(), f.call(x, w)[0].doubleValue(), 1e-12, "scale " + scale);
        }
        Tensor x = Tensors.of(new double[] {1, 0.5, 0.8, 0.9, 0.7, 1, 0.6, 0.4}, 4, 2);
        List<String> ops = Traces.ops(f, x, w);
        assertEquals(1, ops.stream().filter("While"::equals).count(), ops.toString());
        assertFalse(ops.contains("Tanh"), "not unrolled: " + ops);
        TensorArrayFunction converted = AutoGraph.convert(ConvertedReturnTest::rnnArgs);
        Function<Tensor[], Tensor[]> loss = a -> converted.apply(a);
        for (double scale : new double[] {0.1, 0.9}) {
            Tensor xs = Ops.mul(x, scale);
            for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
                GradientChecker.check("early-stopping rnn", loss, mode, xs, w).assertOk(1e-6);
            }
        }
        assertTrue(true);
    }
}
