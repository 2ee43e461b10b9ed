package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientChecker;

/** Code a converted method reaches: lambdas it creates, methods of other classes of the user's. */
class ConvertedCallsTest {
    private final double offset = 0.25;

    /** A lambda with a tensor condition of its own, created and called inside the converted method. */
    static Tensor withLambda(Tensor x) {
        UnaryOperator<Tensor> clip = v -> {
            if (Ops.sum(v).greater(0.0).booleanValue()) return v.mul(2.0);
            return v.neg();
        };
        return clip.apply(x).add(1.0);
    }

    /** A capturing instance lambda (this, a local) with a tensor loop, applied twice. */
    Tensor withCapturingLambda(Tensor x) {
        Tensor limit = Ops.sum(Ops.abs(x)).add(1.0);
        BinaryOperator<Tensor> grow = (a, b) -> {
            Tensor y = a;
            while (Ops.sum(Ops.abs(y)).less(limit).booleanValue()) y = y.add(b).add(offset);
            return y;
        };
        return grow.apply(grow.apply(x, x), x);
    }

    static Tensor callsOtherClasses(Tensor x) {
        Tensor y = UserSteps.halveUntilSmall(x.mul(3.0));
        return new UserSteps(0.5).decay(y);
    }

    static Tensor callsAnOverride(Tensor x) {
        UserSteps s = new UserSteps.Doubling();
        return s.decay(x);
    }

    static Tensor callsAnOptedOutClass(Tensor x) {
        return UserSteps.OptedOut.sign(x);
    }

    private static void check(UnaryTensorFunction fn, String node, double[]... inputs) {
        TracedFunction traced = AutoGraph.unary(fn);
        UnaryTensorFunction converted = AutoGraph.convertUnary(fn);
        for (double[] in : inputs) {
            Tensor x = Tensors.of(in);
            double[] expected = fn.apply(x).toDoubleArray();
            assertArrayEquals(expected, converted.apply(x).toDoubleArray(), 0, "converted, eager");
            assertArrayEquals(expected, traced.apply(x).toDoubleArray(), 1e-12, "traced");
        }
        assertEquals(1, traced.traceCount());
        List<String> ops = Traces.ops(traced, Tensors.of(inputs[0]));
        assertTrue(ops.contains(node), node + " in " + ops);
    }

    @Test
    void aLambdaWithATensorConditionIsConvertedToo() {
        check(ConvertedCallsTest::withLambda, "Cond", new double[] {1, -0.5}, new double[] {-1, 0.5});
        Function<Tensor[], Tensor[]> loss = a -> new Tensor[] {Ops.sum(Ops.square(
                AutoGraph.convertUnary(ConvertedCallsTest::withLambda).apply(a[0])))};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("converted lambda", loss, mode, Tensors.of(new double[] {0.3, -0.2})).assertOk(1e-6);
        }
    }

    @Test
    void aCapturingInstanceLambdaWithATensorLoop() {
        ConvertedCallsTest self = new ConvertedCallsTest();
        check(self::withCapturingLambda, "While", new double[] {1, -0.5}, new double[] {0.1, 0.2});
    }

    @Test
    void staticAndInstanceMethodsOfOtherClassesAreConverted() {
        check(ConvertedCallsTest::callsOtherClasses, "While", new double[] {1, -2}, new double[] {-0.1, 0.2});
        List<String> ops = Traces.ops(AutoGraph.unary(ConvertedCallsTest::callsOtherClasses), Tensors.of(new double[] {1}));
        assertTrue(ops.contains("Cond"), "UserSteps.decay's if: " + ops);
        Function<Tensor[], Tensor[]> loss = a -> new Tensor[] {Ops.sum(Ops.square(
                AutoGraph.convertUnary(ConvertedCallsTest::callsOtherClasses).apply(a[0])))};
        for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
            GradientChecker.check("other classes", loss, mode, Tensors.of(new double[] {1, -2})).assertOk(1e-6);
        }
    }

    @Test
    void anOverrideInASubclassRunsAsWritten() {
        TracedFunction f = AutoGraph.unary(ConvertedCallsTest::callsAnOverride);
        assertArrayEquals(new double[] {2, -4}, f.apply(Tensors.of(new double[] {1, -2})).toDoubleArray(), 0);
    }

    @Test
    void doNotConvertOnAClassOptsOutItsMethods() {
        TracedFunction f = AutoGraph.unary(ConvertedCallsTest::callsAnOptedOutClass);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.apply(Tensors.of(new double[] {1})));
        assertTrue(e.getMessage().contains("symbolic"), e.getMessage());
        assertEquals(1.0, AutoGraph.convertUnary(ConvertedCallsTest::callsAnOptedOutClass)
                .apply(Tensors.of(new double[] {-1})).toDoubleArray()[0], "eagerly it runs as written");
    }
}
