package org.nabla.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.ops.GradientFunction;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.MathOps;
import org.nabla.runtime.SerialExecutor;

/** The eager tape: watching, variables, persistence, nesting for second order, and custom gradients. */
class GradientTapeTest {
    /** Runs ops eagerly and counts them by name: pushed below a tape, it sees the gradient ops. */
    private static final class CountingContext implements ExecutionContext {
        final Map<String, Integer> counts = new java.util.TreeMap<>();

        @Override
        public Tensor[] execute(org.nabla.ops.OpDef op, org.nabla.ops.Attrs attrs, Tensor[] inputs) {
            counts.merge(op.name(), 1, Integer::sum);
            return EagerContext.INSTANCE.execute(op, attrs, inputs);
        }
    }

    @Test
    void gradientsOfInputsNoSourceFlowsIntoAreNotComputed() {
        Tensor x = Ops.randomUniform(new int[] {2, 6, 6, 3}, DType.FLOAT32, -1, 1, 1);  // data: not watched
        Variable f = Variable.of(Ops.randomUniform(new int[] {3, 3, 3, 4}, DType.FLOAT32, -1, 1, 2));
        Variable w = Variable.of(Ops.randomUniform(new int[] {4, 5}, DType.FLOAT32, -1, 1, 3));
        CountingContext counting = new CountingContext();
        List<Tensor> grads;
        try (ExecutionContext.Scope s = ExecutionContext.enter(counting)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor h = Ops.conv2d(x, f.read(), 1, "SAME");
                Tensor pooled = Ops.mean(h, 1, 2);                              // [2, 4]
                Tensor y = Ops.sum(Ops.square(Ops.matmul(pooled, w.read())));
                grads = tape.gradient(y, List.of(f, w));
            }
        }
        assertEquals(null, counting.counts.get("Conv2DBackpropInput"), "x needs no gradient: " + counting.counts);
        assertEquals(1, counting.counts.get("Conv2DBackpropFilter"));
        assertEquals(3, counting.counts.get("MatMul"), "forward, d/dw and d/dpooled (which reaches f)");
        // the same gradients as a tape that also watches x (so every input gradient is computed)
        List<Tensor> full;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor h = Ops.conv2d(x, f.read(), 1, "SAME");
            Tensor y = Ops.sum(Ops.square(Ops.matmul(Ops.mean(h, 1, 2), w.read())));
            full = java.util.Arrays.asList(tape.gradient(y, f, w));
        }
        assertClose(full.get(0).toDoubleArray(), grads.get(0).toDoubleArray(), 1e-6);
        assertClose(full.get(1).toDoubleArray(), grads.get(1).toDoubleArray(), 1e-6);
    }
    @Test
    void watchedTensorGradient() {
        Tensor x = Ops.constant(new double[] {1, 2, 3});
        Tensor dx;
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(x);
            Tensor y = Ops.sum(Ops.mul(Ops.exp(x), x)); // d/dx = e^x (1 + x)
            dx = tape.gradient(y, x);
        }
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = Math.exp(i + 1) * (i + 2);
        assertClose(expected, dx, DType.FLOAT64, new int[] {3}, 1e-12);
        assertEquals(EagerContext.INSTANCE, ExecutionContext.current());
    }

    @Test
    void variablesReadInsideTheTapeAreWatchedAutomatically() {
        Variable w = Variable.of(new float[][] {{1, 2}, {3, 4}});
        Variable b = Variable.of(new float[] {0.5f, -0.5f});
        Tensor x = Ops.constant(new float[][] {{1, -1}});
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.start()) {
            Tensor y = Ops.add(Ops.matmul(x, w.read()), b.read());
            Tensor loss = Ops.sum(Ops.square(y)); // y = [-2+0.5, -2-0.5] = [-1.5, -2.5]
            grads = tape.gradient(loss, List.of(w, b));
        }
        // dL/dy = 2y = [-3, -5]; dW = x^T dy; db = dy
        assertClose(new double[] {-3, -5, 3, 5}, grads.get(0), DType.FLOAT32, new int[] {2, 2}, 1e-6);
        assertClose(new double[] {-3, -5}, grads.get(1), DType.FLOAT32, new int[] {2}, 1e-6);
    }

    /**
     * Two layers, the first variable read twice, one variable unused: each gradient is handed over once, as soon as it
     * is final (the unused one at once, the second layer's before the first layer's), and equals gradient()'s.
     */
    @Test
    void gradientsAreHandedOverAsTheWalkFinishesThem() {
        Variable w1 = Variable.of(new float[][] {{1, 2}, {3, 4}});
        Variable w2 = Variable.of(new float[][] {{0.5f}, {-1}});
        Variable unused = Variable.of(new float[] {7});
        Tensor x = Ops.constant(new float[][] {{1, -1}});
        List<Variable> vars = List.of(w1, w2, unused);
        List<Tensor> expected;
        try (GradientTape tape = GradientTape.start()) {
            Tensor h = Ops.add(Ops.matmul(x, w1.read()), Ops.sum(w1.read()));
            expected = tape.gradient(Ops.sum(Ops.square(Ops.matmul(h, w2.read()))), vars);
        }
        List<Integer> order = new java.util.ArrayList<>();
        Tensor[] handed = new Tensor[3];
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.start()) {
            Tensor h = Ops.add(Ops.matmul(x, w1.read()), Ops.sum(w1.read()));
            grads = tape.gradientAsReady(Ops.sum(Ops.square(Ops.matmul(h, w2.read()))), vars, (g, i) -> {
                order.add(i);
                handed[i] = g;
            });
        }
        assertEquals(List.of(2, 1, 0), order);
        assertNull(handed[2]);
        for (int i = 0; i < 2; i++) {
            assertTrue(handed[i] == grads.get(i), "the handed gradient is the returned one");
            assertClose(expected.get(i).toDoubleArray(), grads.get(i), DType.FLOAT32,
                    expected.get(i).shape().dims(), 0);
        }
    }

    @Test
    void severalTensorSourcesAndASeed() {
        Tensor a = Ops.constant(2.0), b = Ops.constant(3.0);
        try (GradientTape tape = new GradientTape(true)) {
            tape.watch(a);
            tape.watch(b);
            Tensor y = Ops.mul(a, b);
            Tensor[] g = tape.gradient(y, a, b);
            assertEquals(3.0, g[0].doubleValue(), 1e-12);
            assertEquals(2.0, g[1].doubleValue(), 1e-12);
            Tensor[] seeded = tape.gradient(y, List.of(a, b), Ops.constant(10.0));
            assertEquals(30.0, seeded[0].doubleValue(), 1e-12);
            assertEquals(20.0, seeded[1].doubleValue(), 1e-12);
        }
    }

    @Test
    void variableReadTwiceGetsTheSumOfBothUses() {
        Variable v = Variable.of(3.0);
        Tensor g;
        try (GradientTape tape = GradientTape.start()) {
            Tensor y = Ops.mul(v.read(), v.read()); // v^2
            g = tape.gradient(y, v);
        }
        assertEquals(6.0, g.doubleValue(), 1e-12);
    }

    @Test
    void withoutWatchingAccessedVariablesOnlyWatchedVariablesGetGradients() {
        Variable a = Variable.of(2.0), b = Variable.of(5.0);
        try (GradientTape tape = new GradientTape(true, false)) {
            tape.watch(a);
            Tensor y = Ops.mul(a.read(), b.read());
            assertEquals(5.0, tape.gradient(y, a).doubleValue(), 1e-12);
            assertNull(tape.gradient(y, b));
        }
    }

    @Test
    void nonPersistentTapeAllowsOneGradientPersistentSeveral() {
        Tensor x = Ops.constant(2.0);
        GradientTape tape = GradientTape.start();
        tape.watch(x);
        Tensor y = Ops.square(x);
        Tensor z = Ops.mul(y, x);
        tape.close();
        assertEquals(4.0, tape.gradient(y, x).doubleValue(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(z, x));
        assertTrue(e.getMessage().contains("non-persistent") && e.getMessage().contains("new GradientTape(true)"),
                e.getMessage());

        try (GradientTape p = new GradientTape(true)) {
            p.watch(x);
            Tensor y2 = Ops.square(x);
            Tensor z2 = Ops.mul(y2, x);
            assertEquals(4.0, p.gradient(y2, x).doubleValue(), 1e-12);
            assertEquals(12.0, p.gradient(z2, x).doubleValue(), 1e-12);
            assertEquals(2.0, p.gradient(z2, y2).doubleValue(), 1e-12); // an intermediate as source: dz/dy = x
        }
    }

    @Test
    void unwatchedAndUnconnectedSourcesGiveNull() {
        Tensor x = Ops.constant(2.0), other = Ops.constant(5.0);
        try (GradientTape tape = new GradientTape(true)) {
            tape.watch(x);
            Tensor y = Ops.mul(Ops.square(x), Ops.stopGradient(x));
            assertNull(tape.gradient(y, other));
            assertEquals(8.0, tape.gradient(y, x).doubleValue(), 1e-12); // 2x * stop(x)
        }
    }

    @Test
    void nestedTapesGiveSecondAndThirdDerivatives() {
        Tensor x = Ops.constant(1.5);
        Tensor d1, d2, d3;
        try (GradientTape t3 = GradientTape.start()) {
            t3.watch(x);
            try (GradientTape t2 = GradientTape.start()) {
                t2.watch(x);
                try (GradientTape t1 = GradientTape.start()) {
                    t1.watch(x);
                    Tensor y = Ops.mul(Ops.sin(x), Ops.square(x)); // x^2 sin x
                    d1 = t1.gradient(y, x);
                }
                d2 = t2.gradient(d1, x);
            }
            d3 = t3.gradient(d2, x);
        }
        double v = 1.5, s = Math.sin(v), c = Math.cos(v);
        assertEquals(2 * v * s + v * v * c, d1.doubleValue(), 1e-12);
        assertEquals(2 * s + 4 * v * c - v * v * s, d2.doubleValue(), 1e-12);
        assertEquals(6 * c - 6 * v * s - v * v * c, d3.doubleValue(), 1e-12);
    }

    @Test
    void watchRejectsIntegerTensorsAndGradientRejectsBadSources() {
        try (GradientTape tape = GradientTape.start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tape.watch(Ops.constant(new int[] {1})));
            assertTrue(e.getMessage().contains("floating-point"), e.getMessage());
            Tensor x = tape.watch(Ops.constant(1.0));
            Tensor y = Ops.exp(x);
            e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(y, "x"));
            assertTrue(e.getMessage().contains("must be a Tensor or a Variable"), e.getMessage());
        }
    }

    @Test
    void tapeInsideAGraphRecordsSymbolicCalls() {
        Graph g = new Graph();
        Tensor x, dx;
        try (ExecutionContext.Scope s = g.asDefault(); GradientTape tape = GradientTape.start()) {
            x = tape.watch(g.placeholder("x", DType.FLOAT32, Shape.of(2)));
            dx = tape.gradient(Ops.sum(Ops.tanh(x)), x);
        }
        Tensor out = SerialExecutor.run(g, Map.of(g.outputOf(x), Ops.constant(new float[] {0, 1})),
                List.of(g.outputOf(dx)), List.of()).get(0);
        double t = Math.tanh(1);
        assertClose(new double[] {1, 1 - t * t}, out, DType.FLOAT32, new int[] {2}, 1e-6);
    }

    @Test
    void customGradientReplacesTheDerivativeOnTapesAndInGraphs() {
        // A "clip the gradient" identity: forward x, backward clip(dy, -1, 1).
        Gradients.CustomGradientFunction clipGrad = in -> Gradients.CustomResult.of(Ops.identity(in[0]),
                dy -> new Tensor[] {Ops.clip(dy[0], -1.0, 1.0)});
        Tensor x = Ops.constant(new double[] {1, 2});
        Tensor dx;
        try (GradientTape tape = GradientTape.start()) {
            tape.watch(x);
            Tensor y = Gradients.customGradient(clipGrad, x)[0];
            assertClose(new double[] {1, 2}, y, DType.FLOAT64, new int[] {2}, 0);
            dx = tape.gradient(Ops.sum(Ops.mul(y, Ops.constant(new double[] {5, -0.5}))), x);
        }
        assertClose(new double[] {1, -0.5}, dx, DType.FLOAT64, new int[] {2}, 0);

        Graph g = new Graph();
        Tensor p, gp;
        try (var s = g.asDefault()) {
            p = g.placeholder("p", DType.FLOAT64, Shape.of(2));
            Tensor y = Gradients.customGradient(clipGrad, p)[0];
            gp = Gradients.gradients(Ops.sum(Ops.mul(y, Ops.constant(new double[] {-3, 0.25}))), p).get(0);
        }
        Tensor out = SerialExecutor.run(g, Map.of(g.outputOf(p), x), List.of(g.outputOf(gp)), List.of()).get(0);
        assertClose(new double[] {-1, 0.25}, out, DType.FLOAT64, new int[] {2}, 0);
    }

    @Test
    void userRegisteredGradientOverridesACoreRule() {
        // A user's op library registers gradients for its own ops (OpLibraryTest); here we override the rule of an
        // existing op (Erf) temporarily and restore the core rule afterwards.
        GradientRegistry gradients = GradientRegistry.global();
        GradientFunction core = gradients.find(MathOps.ERF);
        try {
            gradients.register(MathOps.ERF, (c, g) -> new Tensor[] {Ops.mul(g[0], 7.0)});
            Tensor x = Ops.constant(new double[] {0.1, 0.2});
            try (GradientTape tape = GradientTape.start()) {
                tape.watch(x);
                Tensor g = tape.gradient(Ops.sum(Ops.erf(x)), x);
                assertClose(new double[] {7, 7}, g, DType.FLOAT64, new int[] {2}, 0);
            }
        } finally {
            gradients.register(MathOps.ERF, core);
        }
    }
}
