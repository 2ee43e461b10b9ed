package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientChecker;

/** do-while loops on tensor conditions: one While node when traced (the body runs at least once), eager values. */
class ConvertedDoWhileTest {
    static Tensor countUp(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor acc = Tensors.scalar(0);
        do {
            i = i.add(1);
            if (Ops.equal(Ops.mod(i, 3), 0).booleanValue()) continue;    // jumps to the condition
            acc = acc.add(i);
        } while (i.less(n).booleanValue());
        return acc.mul(100).add(i);
    }

    static Tensor negatedWithJavaBreak(Tensor n) {
        Tensor i = Tensors.scalar(10);
        do {
            i = i.sub(1);
            for (int k = 0; k < 2; k++) {
                if (k == 1) break;                                            // a Java loop's own break
                i = i.sub(1);
            }
        } while (!i.lessEqual(n).booleanValue());
        return i;
    }

    static Tensor joinedConditions(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor j = Tensors.scalar(0);
        do {
            i = i.add(1);
        } while (i.less(n).booleanValue() && i.less(6).booleanValue());
        do {
            j = j.add(2);
        } while (j.less(3).booleanValue() || !j.greaterEqual(n).booleanValue());
        return i.mul(100).add(j);
    }

    /** Halves x until its norm is at most 1: the body runs once even when x is already small. */
    static Tensor shrink(Tensor x) {
        Tensor y = x;
        do {
            y = y.mul(0.5);
        } while (Ops.sum(Ops.square(y)).greater(1.0).booleanValue());
        return Ops.tanh(y);
    }

    private static void checkScalar(UnaryTensorFunction fn, int... ns) {
        List<String> ops = Traces.agreeOnScalars(fn, ns);
        assertEquals(1, ops.stream().filter("While"::equals).count(), ops.toString());
    }

    @Test
    void doWhileRunsTheBodyFirstAndContinueGoesToTheCondition() {
        checkScalar(ConvertedDoWhileTest::countUp, -3, 0, 1, 2, 7);
    }

    @Test
    void negatedConditionAndJavaLoopsInside() {
        checkScalar(ConvertedDoWhileTest::negatedWithJavaBreak, 20, 9, 4, 0);
    }

    @Test
    void conditionsJoinedByAndAndOr() {
        TracedFunction traced = AutoGraph.unary(ConvertedDoWhileTest::joinedConditions);
        for (int n : new int[] {-1, 0, 3, 5, 9}) {
            assertEquals(joinedConditions(Tensors.scalar(n)).intValue(), traced.apply(Tensors.scalar(n)).intValue());
        }
        List<String> ops = Traces.ops(traced, Tensors.scalar(0));
        assertEquals(2, ops.stream().filter("While"::equals).count(), ops.toString());
    }

    @Test
    void valuesAndGradientsOfADoWhileOverFloats() {
        TracedFunction traced = AutoGraph.unary(ConvertedDoWhileTest::shrink);
        for (double[] in : new double[][] {{0.1, 0.2}, {3, -4}, {10, 1}}) {
            Tensor x = Tensors.of(in);
            assertArrayEquals(shrink(x).toDoubleArray(), traced.apply(x).toDoubleArray(), 1e-12);
        }
        assertTrue(Traces.ops(traced, Tensors.of(new double[] {1, 2})).contains("While"));
        UnaryTensorFunction converted = AutoGraph.convertUnary(ConvertedDoWhileTest::shrink);
        Function<Tensor[], Tensor[]> loss = a -> new Tensor[] {Ops.sum(Ops.square(converted.apply(a[0])))};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("converted do-while", loss, mode, Tensors.of(new double[] {3, -4})).assertOk(1e-6);
        }
    }
}
