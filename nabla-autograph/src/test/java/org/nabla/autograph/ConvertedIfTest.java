package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.graph.Node;

/** if / else on tensor conditions: one Cond node when traced, the same values as the method run eagerly. */
class ConvertedIfTest {
    static Tensor ifElse(Tensor x) {
        Tensor y;
        if (Ops.sum(x).greater(0f).booleanValue()) {
            y = x.mul(2f);
        } else {
            y = x.neg();
        }
        return y.add(1f);
    }

    static Tensor ifWithoutElse(Tensor x) {
        Tensor y = x;
        if (!Ops.sum(x).greater(0f).booleanValue()) y = y.mul(-3f);
        return y;
    }

    static Tensor earlyReturn(Tensor x) {
        if (Ops.sum(x).greater(0f).booleanValue()) return x.mul(2f);
        Tensor y = x.add(1f);
        return y.neg();
    }

    static Tensor nested(Tensor x) {
        Tensor y = x;
        if (Ops.sum(x).greater(0f).booleanValue()) {
            if (Ops.max(x, 0).greater(2f).booleanValue()) y = y.mul(10f);
            else y = y.mul(100f);
        } else {
            for (int k = 0; k < 2; k++) y = y.add(1f);       // a Java loop inside a branch: unrolled, still converted
        }
        return y;
    }

    static Tensor andWithoutElse(Tensor x) {
        Tensor y = x;
        if (Ops.sum(x).greater(0f).booleanValue() && Ops.max(x, 0).less(3f).booleanValue()) y = y.mul(7f);
        return y;
    }

    static List<String> ops(TracedFunction f, Tensor x) {
        return f.concreteFunction(x.spec()).graph().graph().nodes().stream().map(n -> n.op().name()).toList();
    }

    private static void check(UnaryTensorFunction fn, UnaryTensorFunction original, float[]... inputs) {
        TracedFunction traced = AutoGraph.unary(fn);
        UnaryTensorFunction converted = AutoGraph.convertUnary(fn);
        for (float[] in : inputs) {
            Tensor x = Tensors.of(in);
            float[] expected = original.apply(x).toFloatArray();
            assertArrayEquals(expected, converted.apply(x).toFloatArray(), "converted, eager " + List.of(in));
            assertArrayEquals(expected, traced.apply(x).toFloatArray(), 1e-6f, "traced");
        }
        assertEquals(1, traced.traceCount());
        assertTrue(ops(traced, Tensors.of(inputs[0])).contains("Cond"), ops(traced, Tensors.of(inputs[0])).toString());
    }

    @Test
    void ifElseBecomesOneCond() {
        check(ConvertedIfTest::ifElse, ConvertedIfTest::ifElse, new float[] {1, -2, 3}, new float[] {-1, -2, 3});
    }

    @Test
    void ifWithoutElseAndNegatedCondition() {
        check(ConvertedIfTest::ifWithoutElse, ConvertedIfTest::ifWithoutElse, new float[] {1, 2}, new float[] {-4, 1});
    }

    @Test
    void earlyReturnMakesTheRestTheElseBranch() {
        check(ConvertedIfTest::earlyReturn, ConvertedIfTest::earlyReturn, new float[] {1, 2}, new float[] {-4, 1});
    }

    @Test
    void nestedConditionsAndJavaLoopsInBranches() {
        check(ConvertedIfTest::nested, ConvertedIfTest::nested, new float[] {1, 3}, new float[] {1, 1},
                new float[] {-4, 1});
    }

    @Test
    void conditionsJoinedByAndWithoutElse() {
        check(ConvertedIfTest::andWithoutElse, ConvertedIfTest::andWithoutElse, new float[] {1, 2},
                new float[] {1, 4}, new float[] {-3, 1});
    }

    @Test
    void lambdasWithCapturedValuesConvert() {
        Tensor scale = Tensors.scalar(5f);
        UnaryTensorFunction f = x -> {
            if (Ops.sum(x).less(0f).booleanValue()) return x.mul(scale);
            return x;
        };
        check(f, f, new float[] {-1, -2}, new float[] {3, 4});
    }
}
