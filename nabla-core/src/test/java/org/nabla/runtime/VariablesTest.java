package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.OpException;

class VariablesTest {
    private static final class Counter {
        final Graph g = new Graph();
        final Variable v;
        final Tensor read;
        final Tensor increment;
        final Node init;

        Counter() {
            v = Variables.create(g, "counter", 0f);
            read = Variables.read(g, v);
            increment = Variables.assignAdd(g, v, 1f);
            init = Variables.globalVariablesInitializer(g);
        }
    }

    @Test
    void initializeReadAndAssignAddOverSeveralRuns() {
        Counter c = new Counter();
        try (Session s = new Session(c.g)) {
            s.run(List.of(), Map.of(), List.of(c.init));
            assertEquals(0f, s.run(c.read).floatValue());
            for (int i = 1; i <= 5; i++) assertEquals(i, s.run(c.increment).floatValue());
            assertEquals(5f, s.run(c.read).floatValue());
            // re-running the initializer resets the value
            s.runner().addTarget(c.init).run();
            assertEquals(0f, s.run(c.read).floatValue());
        }
    }

    @Test
    void variablesAreCollectedWithTheirInitializers() {
        Counter c = new Counter();
        assertEquals(List.of(c.v), Variables.globalVariables(c.g));
        List<Node> inits = Variables.initializers(c.g);
        assertEquals(1, inits.size());
        assertEquals("AssignVariable", inits.get(0).op().name());
        assertEquals("counter/Assign", inits.get(0).name());
        assertEquals(inits, c.init.controlInputs());
        assertTrue(c.v.name().startsWith("counter_"), c.v.name());
    }

    @Test
    void twoSessionsOnOneGraphHaveIndependentVariables() {
        Counter c = new Counter();
        try (Session a = new Session(c.g); Session b = new Session(c.g)) {
            a.runner().addTarget(c.init).run();
            b.runner().addTarget(c.init).run();
            for (int i = 0; i < 3; i++) a.run(c.increment);
            b.run(c.increment);
            assertEquals(3f, a.run(c.read).floatValue());
            assertEquals(1f, b.run(c.read).floatValue());
        }
        // graph variables never touch the eager resources
        assertFalse(ResourceManager.eager().contains(c.v.name()));
    }

    @Test
    void readingAnUninitializedVariableFailsClearly() {
        Counter c = new Counter();
        try (Session s = new Session(c.g)) {
            OpException e = assertThrows(OpException.class, () -> s.run(c.read));
            assertTrue(e.getMessage().startsWith("ReadVariable: in node 'ReadVariable' on "), e.getMessage());
            assertTrue(e.getMessage().contains("variable '" + c.v.name() + "' is not initialized"), e.getMessage());
        }
    }

    @Test
    void closingReleasesTheValues() {
        Counter c = new Counter();
        Session s = new Session(c.g);
        s.runner().addTarget(c.init).run();
        assertEquals(List.of(c.v.name()), List.copyOf(s.resources().names()));
        s.close();
        assertTrue(s.resources().names().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.resources().read(c.v.name()));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.run(c.read));
    }

    @Test
    void aGradientStepUpdatesAMatrixVariable() {
        // w <- w - 0.01 * x^T (x w - y), the least-squares step, against plain Java
        Graph g = new Graph();
        Variable w = Variables.create(g, "w", new float[][] {{1}, {-1}});
        Tensor x;
        Tensor y;
        Tensor step;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 2));
            y = g.placeholder("y", DType.FLOAT32, Shape.of(-1, 1));
            Tensor err = Ops.sub(Ops.matmul(x, w.read()), y);
            Tensor grad = Ops.matmul(Ops.transpose(x), err);
            step = w.assignSub(Ops.mul(grad, 0.01f));
        }
        Node init = Variables.globalVariablesInitializer(g);
        float[][] xs = {{1, 2}, {3, 4}};
        float[][] ys = {{1}, {0}};
        double[] ref = {1, -1};
        try (Session s = new Session(g)) {
            s.runner().addTarget(init).run();
            for (int it = 0; it < 3; it++) {
                Tensor got = s.runner().feed(x, xs).feed(y, ys).fetch(step).run().get(0);
                double[] grad = new double[2];
                for (int r = 0; r < 2; r++) {
                    double e = xs[r][0] * ref[0] + xs[r][1] * ref[1] - ys[r][0];
                    grad[0] += xs[r][0] * e;
                    grad[1] += xs[r][1] * e;
                }
                ref[0] -= 0.01 * grad[0];
                ref[1] -= 0.01 * grad[1];
                assertArrayEquals(new float[] {(float) ref[0], (float) ref[1]}, got.toFloatArray(),
                        (float) (1e-5 * Math.abs(ref[0]) + 1e-5));
            }
        }
    }

    @Test
    void aSessionCanUseTheEagerVariables() {
        Variable eager = Variable.of("eagerCounter", 2f, true);
        Graph g = new Graph();
        Tensor add;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            add = eager.assignAdd(3f);
        }
        try (Session s = new Session(g, SessionOptions.defaults(), ResourceManager.eager())) {
            assertEquals(5f, s.run(add).floatValue());
        }
        assertEquals(5f, eager.read().floatValue()); // the eager value changed, and closing left it alive
        assertTrue(ResourceManager.eager().contains(eager.name()));
    }

    @Test
    void parallelUpdatesNotOrderedByEdgesLoseNothing() {
        Graph g = new Graph();
        Variable v = Variables.create(g, "sum", new float[1000]);
        Node init = Variables.globalVariablesInitializer(g);
        List<Node> adds = new java.util.ArrayList<>();
        try (ExecutionContext.Scope sc = g.asDefault()) {
            for (int i = 0; i < 64; i++) adds.add(g.outputOf(v.assignAdd(Ops.fill(1f, 1000))).node());
        }
        Node all = g.addNode(org.nabla.ops.GraphOps.NO_OP, org.nabla.ops.Attrs.EMPTY, List.of(), adds, "all");
        Tensor read = Variables.read(g, v);
        try (Session s = new Session(g, SessionOptions.defaults().interOpThreads(4))) {
            s.runner().addTarget(init).run();
            for (int run = 1; run <= 5; run++) {
                s.runner().addTarget(all).run();
                float[] got = s.run(read).toFloatArray();
                for (float f : got) assertEquals(64f * run, f);
            }
        }
    }
}
