package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientChecker;

/** switch on {@code tensor.intValue()}: one Case node (no Cond chain), Java's fall-through and default rules. */
class ConvertedSwitchTest {
    /** Fall-through from case 1 into 3, a gap (2) and an arm with a nested tensor if. */
    static Tensor statement(Tensor x, Tensor k) {
        Tensor y = x;
        switch (k.intValue()) {
            case 0:
                y = y.mul(2.0);
                break;
            case 1:
                y = y.add(1.0);
            case 3:
                y = y.neg();
                break;
            case 7:
                if (Ops.sum(x).greater(0.0).booleanValue()) y = y.add(3.0);
                else y = y.add(4.0);
                break;
            default:
                y = Ops.sin(y);
        }
        return y.mul(1.5);
    }

    /** No default arm: other values leave y as it was; a sparse lookupswitch. */
    static Tensor noDefault(Tensor x, Tensor k) {
        Tensor y = x;
        switch (k.intValue()) {
            case -5 -> y = y.mul(3.0);
            case 100, 200 -> y = Ops.exp(y);
        }
        return y;
    }

    /** Every arm returns. */
    static Tensor allReturn(Tensor x, Tensor k) {
        switch (k.intValue()) {
            case 0: return x.add(10.0);
            case 1: return Ops.square(x);
            default: return x.neg();
        }
    }

    /** A switch expression whose value is a Tensor, with a value below it on the stack. */
    static Tensor expression(Tensor x, Tensor k) {
        return x.add(switch (k.intValue()) {
            case 0 -> x.mul(2.0);
            case 5, 6 -> x.neg();
            default -> Ops.exp(x);
        });
    }

    static Tensor[] statementArgs(Tensor[] a) { return new Tensor[] {statement(a[0], a[1])}; }

    private static void check(BinaryTensorFunction fn, int... ks) {
        TracedFunction traced = AutoGraph.binary(fn);
        BinaryTensorFunction converted = AutoGraph.convertBinary(fn);
        for (double[] in : new double[][] {{1, -0.5}, {-1, -2}}) {
            for (int k : ks) {
                Tensor x = Tensors.of(in), kt = Tensors.scalar(k);
                double[] expected = fn.apply(x, kt).toDoubleArray();
                assertArrayEquals(expected, converted.apply(x, kt).toDoubleArray(), 0, "converted eager k=" + k);
                assertArrayEquals(expected, traced.apply(x, kt).toDoubleArray(), 1e-12, "traced k=" + k);
            }
        }
        assertEquals(1, traced.traceCount(), "every k shares one trace");
        List<String> ops = Traces.ops(traced, Tensors.of(new double[] {1, 2}), Tensors.scalar(0));
        assertEquals(1, ops.stream().filter("Case"::equals).count(), ops.toString());
    }

    @Test
    void switchStatementWithFallThroughGapsAndDefault() {
        check(ConvertedSwitchTest::statement, -1, 0, 1, 2, 3, 4, 7, 8);
        List<String> ops = Traces.ops(AutoGraph.binary(ConvertedSwitchTest::statement), Tensors.of(new double[] {1}),
                Tensors.scalar(0));
        assertFalse(ops.contains("Sin"), "the default arm is a branch, not inlined: " + ops);
    }

    @Test
    void switchWithoutDefaultOnSparseValues() {
        check(ConvertedSwitchTest::noDefault, -5, 0, 100, 200, 300);
    }

    @Test
    void everyArmReturns() {
        check(ConvertedSwitchTest::allReturn, 0, 1, 2, -3);
    }

    @Test
    void switchExpressions() {
        check(ConvertedSwitchTest::expression, 0, 5, 6, 1);
    }

    /** The arm picked by the floor of the sum: piecewise smooth in x. */
    static Tensor byRegion(Tensor x) {
        return statement(x, Ops.cast(Ops.floor(Ops.sum(x)), DType.INT32));
    }

    @Test
    void gradientsThroughTheCase() {
        UnaryTensorFunction converted = AutoGraph.convertUnary(ConvertedSwitchTest::byRegion);
        Function<Tensor[], Tensor[]> loss = a -> new Tensor[] {Ops.sum(Ops.square(converted.apply(a[0])))};
        for (double[] in : new double[][] {{0.7, -0.2}, {1.2, 0.3}, {3.1, 4.2}, {-2, -0.5}}) {   // arms 0, 1, 7, default
            Tensor x = Tensors.of(in);
            assertArrayEquals(byRegion(x).toDoubleArray(), AutoGraph.unary(ConvertedSwitchTest::byRegion).apply(x)
                    .toDoubleArray(), 1e-12);
            for (GradientChecker.Mode mode : GradientChecker.Mode.values()) {
                GradientChecker.check("switch " + java.util.Arrays.toString(in), loss, mode, x).assertOk(1e-6);
            }
        }
        List<String> ops = Traces.ops(AutoGraph.unary(ConvertedSwitchTest::byRegion), Tensors.of(new double[] {1, 2}));
        assertTrue(ops.contains("Case"), ops.toString());
    }
}
