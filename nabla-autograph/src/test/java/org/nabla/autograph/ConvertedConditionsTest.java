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

/** &&, || (with else branches) and c ? a : b over tensor conditions: lazy right operands, Cond nodes. */
class ConvertedConditionsTest {
    static int rightOperandCalls;

    static Tensor andWithElse(Tensor x) {
        Tensor y;
        if (Ops.sum(x).greater(0.0).booleanValue() && Ops.max(x, 0).less(3.0).booleanValue()) y = x.mul(2.0);
        else y = x.neg();
        return y.add(1.0);
    }

    static Tensor orWithElse(Tensor x) {
        Tensor y;
        if (Ops.sum(x).greater(5.0).booleanValue() || !Ops.min(x, 0).greater(-1.0).booleanValue()) y = x.mul(3.0);
        else y = Ops.square(x);
        return y;
    }

    static Tensor orWithoutElse(Tensor x) {
        Tensor y = x;
        if (Ops.sum(x).less(0.0).booleanValue() || Ops.max(x, 0).greater(2.0).booleanValue()) y = Ops.tanh(y);
        return y;
    }

    static Tensor chains(Tensor x) {
        Tensor s = Ops.sum(x);
        Tensor y = x;
        if ((s.greater(0.0).booleanValue() || s.less(-3.0).booleanValue()) && Ops.max(x, 0).less(2.0).booleanValue()
                && Ops.min(x, 0).greater(-2.0).booleanValue()) {
            y = y.mul(5.0);
        } else {
            y = y.sub(1.0);
        }
        return y;
    }

    static Tensor ternary(Tensor x) {
        Tensor y = Ops.sum(x).greater(0.0).booleanValue() ? x.mul(2.0) : Ops.exp(x);
        return y.add(Ops.max(x, 0).less(1.0).booleanValue() ? x : x.neg());      // a value below on the stack
    }

    static Tensor nestedTernaryAndShortCircuit(Tensor x) {
        Tensor s = Ops.sum(x);
        return s.greater(1.0).booleanValue() && s.less(4.0).booleanValue() ? x.mul(10.0)
                : s.less(-1.0).booleanValue() ? x.neg() : Ops.sin(x);
    }

    static Tensor lazyRightOperand(Tensor x) {
        Tensor y = x;
        if (Ops.sum(x).greater(0.0).booleanValue() || Ops.max(x, 0).greater(rightOperandCalls++ * 0.0 - 1.0)
                .booleanValue()) {
            y = y.mul(2.0);
        }
        return y;
    }

    static Tensor loopConditions(Tensor n) {
        Tensor i = Tensors.scalar(0);
        Tensor acc = Tensors.scalar(0);
        while (i.less(n).booleanValue() && acc.less(40).booleanValue()) {
            i = i.add(1);
            if (Ops.equal(Ops.mod(i, 3), 0).booleanValue() || i.greater(7).booleanValue()) acc = acc.add(i);
            else acc = acc.add(1);
        }
        Tensor j = Tensors.scalar(0);
        while (j.less(2).booleanValue() || j.less(n).booleanValue()) j = j.add(1);
        return acc.mul(100).add(i).add(j.mul(10000));
    }

    @Test
    void conditionsOfLoopsAndIfsInLoops() {
        TracedFunction traced = AutoGraph.unary(ConvertedConditionsTest::loopConditions);
        for (int n : new int[] {0, 1, 4, 9, 30}) {
            assertEquals(loopConditions(Tensors.scalar(n)).intValue(), traced.apply(Tensors.scalar(n)).intValue());
        }
        assertEquals(1, traced.traceCount());
    }

    private static final double[][] INPUTS = {{1, -0.5}, {-1, 0.5}, {1, 2.5}, {-2, -1.5}, {3, 3}, {0.5, 1.5},
        {-0.2, -0.3}, {2, 1}};

    private static void check(UnaryTensorFunction fn, boolean gradients) {
        TracedFunction traced = AutoGraph.unary(fn);
        UnaryTensorFunction converted = AutoGraph.convertUnary(fn);
        for (double[] in : INPUTS) {
            Tensor x = Tensors.of(in);
            double[] expected = fn.apply(x).toDoubleArray();
            assertArrayEquals(expected, converted.apply(x).toDoubleArray(), 0, "converted, eager");
            assertArrayEquals(expected, traced.apply(x).toDoubleArray(), 1e-12, "traced");
        }
        assertEquals(1, traced.traceCount());
        List<String> ops = Traces.ops(traced, Tensors.of(INPUTS[0]));
        assertTrue(ops.contains("Cond"), ops.toString());
        if (!gradients) return;
        Function<Tensor[], Tensor[]> loss = a -> new Tensor[] {Ops.sum(Ops.square(converted.apply(a[0])))};
        for (double[] in : new double[][] {{0.7, -0.5}, {-2, -1.5}}) {        // away from the conditions' edges
            for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
                GradientChecker.check("converted", loss, mode, Tensors.of(in)).assertOk(1e-6);
            }
        }
    }

    @Test
    void andWithAnElseBranch() { check(ConvertedConditionsTest::andWithElse, true); }

    @Test
    void orWithANegatedRightOperand() { check(ConvertedConditionsTest::orWithElse, true); }

    @Test
    void orWithoutElse() { check(ConvertedConditionsTest::orWithoutElse, false); }

    @Test
    void chainsOfAndAndOr() { check(ConvertedConditionsTest::chains, false); }

    @Test
    void conditionalExpressions() { check(ConvertedConditionsTest::ternary, true); }

    @Test
    void nestedConditionalExpressionsWithShortCircuits() {
        check(ConvertedConditionsTest::nestedTernaryAndShortCircuit, false);
    }

    @Test
    void theRightOperandRunsOnlyWhenJavaRunsIt() {
        UnaryTensorFunction converted = AutoGraph.convertUnary(ConvertedConditionsTest::lazyRightOperand);
        rightOperandCalls = 0;
        converted.apply(Tensors.of(new double[] {1, 2}));
        assertEquals(0, rightOperandCalls, "left operand true: || skips the right one");
        converted.apply(Tensors.of(new double[] {-1, -2}));
        assertEquals(1, rightOperandCalls);
        ConversionException e = org.junit.jupiter.api.Assertions.assertThrows(ConversionException.class,
                () -> AutoGraph.unary(ConvertedConditionsTest::lazyRightOperand).apply(Tensors.of(new double[] {1})));
        assertTrue(e.getMessage().contains("right operand of && or ||"), e.getMessage());
    }
}
