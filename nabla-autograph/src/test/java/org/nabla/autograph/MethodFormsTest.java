package org.nabla.autograph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.TracedFunction;
import org.nabla.Variable;

/** The forms AutoGraph converts: instance methods with private state, helpers they call, and the opt-out. */
class MethodFormsTest {
    /** A user class: its step reads a private field and calls a private helper that has a tensor loop. */
    static final class Decay {
        private final float rate;

        Decay(float rate) { this.rate = rate; }

        Tensor step(Tensor x) {
            Tensor y = shrink(x);
            if (Ops.sum(y).less(0f).booleanValue()) y = y.neg();
            return y;
        }

        private Tensor shrink(Tensor x) {
            while (Ops.max(Ops.abs(x), 0).greater(1f).booleanValue()) x = x.mul(rate);
            return x;
        }
    }

    @DoNotConvert
    static Tensor optedOut(Tensor x) {
        if (Ops.sum(x).greater(0f).booleanValue()) return x;          // fails when traced: not converted
        return x.neg();
    }

    static Tensor withVariable(Tensor x, Variable counter) {
        if (Ops.sum(x).greater(0f).booleanValue()) counter.assignAdd(1);  // a variable, not a Java object: fine
        return counter.read();
    }

    private static List<String> ops(TracedFunction f, Tensor x) {
        return f.graph(x.spec()).graph().nodes().stream().map(n -> n.op().name()).toList();
    }

    @Test
    void boundInstanceMethodWithPrivateStateAndHelper() {
        Decay d = new Decay(0.5f);
        TracedFunction f = AutoGraph.unary(d::step);
        Tensor x = Tensors.of(new float[] {-8, 2});
        assertEquals(List.of(1f, -0.25f), box(d.step(x).toFloatArray()));
        assertEquals(List.of(1f, -0.25f), box(f.apply(x).toFloatArray()));
        assertEquals(List.of(1f, 0.5f), box(f.apply(Tensors.of(new float[] {2, 1})).toFloatArray()));
        List<String> ops = ops(f, x);
        assertTrue(ops.contains("While") && ops.contains("Cond"), "the helper's loop is converted too: " + ops);
    }

    @Test
    void doNotConvertTracesTheMethodAsWritten() {
        TracedFunction f = AutoGraph.unary(MethodFormsTest::optedOut);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.apply(Tensors.of(new float[] {1})));
        assertTrue(e.getMessage().contains("symbolic"), e.getMessage());
        assertEquals(1f, AutoGraph.convertUnary(MethodFormsTest::optedOut).apply(Tensors.of(new float[] {-1}))
                .toFloatArray()[0], "eagerly it runs as written");
    }

    @Test
    void variableUpdatesInConvertedBranchesRunWhenTaken() {
        Variable counter = Variable.of(0);
        TracedFunction f = AutoGraph.unary(x -> withVariable(x, counter));
        f.apply(Tensors.of(new float[] {1}));
        f.apply(Tensors.of(new float[] {-1}));
        f.apply(Tensors.of(new float[] {2}));
        assertEquals(2, counter.read().intValue());
        assertEquals(1, f.traceCount());
        assertFalse(ops(f, Tensors.of(new float[] {1})).contains("While"));
    }

    private final float bias = 1f;

    @Test
    void anInstanceLambdaThatCannotBeConvertedRunsEagerlyAndFailsWithItsLineWhenTraced() {
        UnaryTensorFunction f = x -> {
            Tensor i = Tensors.scalar(0);
            do {
                if (i.greater(1).booleanValue()) return x.add(bias);       // return inside a tensor do-while
                i = i.add(1);
            } while (i.less(3).booleanValue());
            return x;
        };
        assertEquals(2f, AutoGraph.convertUnary(f).apply(Tensors.scalar(1f)).floatValue());
        ConversionException e = assertThrows(ConversionException.class, () -> AutoGraph.unary(f)
                .apply(Tensors.scalar(1f)));
        assertTrue(e.getMessage().startsWith("MethodFormsTest.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("return inside a do-while loop"), e.getMessage());
    }

    private static List<Float> box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return List.of(b);
    }
}
