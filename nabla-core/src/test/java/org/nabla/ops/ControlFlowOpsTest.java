package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TensorAssert;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/**
 * Cond, Case and While: eager runs and graph runs agree with each other and with plain Java; only the taken branch
 * runs; loops stop at maximumIterations; captures, nesting, shape relaxation and errors.
 */
class ControlFlowOpsTest {
    /** Builds {@code build} in a fresh graph on placeholders shaped like {@code inputs}, runs it, returns results. */
    private static Tensor[] inGraph(java.util.function.Function<Tensor[], Tensor[]> build, Tensor... inputs) {
        Graph g = new Graph();
        Map<Output, Tensor> feeds = new HashMap<>();
        Tensor[] out;
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor[] ph = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                ph[i] = g.placeholder("in" + i, inputs[i].dtype(), inputs[i].shape());
                feeds.put(g.outputOf(ph[i]), inputs[i]);
            }
            out = build.apply(ph);
        }
        List<Output> fetches = new ArrayList<>();
        for (Tensor t : out) fetches.add(g.outputOf(t));
        return SerialExecutor.run(g, feeds, fetches, List.of()).toArray(Tensor[]::new);
    }

    private static void assertSame(Tensor[] expected, Tensor[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].spec(), actual[i].spec());
            assertArrayEquals(expected[i].toDoubleArray(), actual[i].toDoubleArray(), 1e-6);
        }
    }

    // ---------------------------------------------------------------- cond

    private static Tensor[] condProgram(Tensor[] in) {
        Tensor x = in[0];
        return Ops.cond(x.sum().greater(0f), () -> new Tensor[] {x.mul(2f), x.sum()},
                () -> new Tensor[] {x.neg(), x.sum().mul(10f)});
    }

    @Test
    void condEagerAndGraphAgreeWithJava() {
        for (float[] v : new float[][] {{1, 2, -0.5f}, {-1, -2, 0.5f}}) {
            Tensor x = Tensors.of(v);
            double sum = 0;
            for (float f : v) sum += f;
            Tensor[] eager = condProgram(new Tensor[] {x});
            Tensor[] graph = inGraph(ControlFlowOpsTest::condProgram, x);
            assertSame(eager, graph);
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) expected[i] = sum > 0 ? 2 * v[i] : -v[i];
            assertArrayEquals(expected, graph[0].toDoubleArray(), 1e-6);
            assertEquals(sum > 0 ? sum : 10 * sum, graph[1].doubleValue(), 1e-5);
        }
        Tensor single = Ops.cond(Tensors.scalar(false), () -> Tensors.scalar(1), () -> Tensors.scalar(2));
        assertEquals(2, single.intValue());
    }

    @Test
    void onlyTheTakenBranchRuns() {
        Tensor params = Tensors.of(new float[] {10, 20, 30});
        // The else branch gathers index 7 of a 3-element tensor: executing it would fail.
        java.util.function.Function<Tensor[], Tensor[]> program = in -> new Tensor[] {Ops.cond(in[0],
                () -> Ops.gather(params, Tensors.scalar(1)),
                () -> Ops.gather(params, in[1]))};
        Tensor[] out = inGraph(program, Tensors.scalar(true), Tensors.scalar(7));
        assertEquals(20f, out[0].floatValue());
        assertEquals(20f, program.apply(new Tensor[] {Tensors.scalar(true), Tensors.scalar(7)})[0].floatValue());
        // Taking the failing branch does fail, naming the op.
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> inGraph(program, Tensors.scalar(false), Tensors.scalar(7)));
        assertTrue(e.getMessage().contains("Gather"), e.getMessage());
    }

    @Test
    void differingBranchDimsBecomeUnknown() {
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
            Tensor y = Ops.cond(p, () -> Ops.zeros(DType.FLOAT32, 2, 3), () -> Ops.zeros(DType.FLOAT32, 4, 3));
            assertEquals(Shape.of(-1, 3), y.shape());
            assertEquals("Cond", g.outputOf(y).node().op().name());
        }
    }

    @Test
    void capturedOuterTensorsArePassedAsInputs() {
        // Each branch captures a different outer tensor; the op takes both, each branch ignores the other's.
        java.util.function.Function<Tensor[], Tensor[]> program = in -> new Tensor[] {
                Ops.cond(in[0], () -> in[1].mul(in[2]), () -> in[1].add(in[3]))};
        Tensor x = Tensors.of(new float[] {1, 2});
        Tensor a = Tensors.scalar(3f);
        Tensor b = Tensors.scalar(5f);
        for (boolean p : new boolean[] {true, false}) {
            Tensor[] graph = inGraph(program, Tensors.scalar(p), x, a, b);
            assertArrayEquals(p ? new float[] {3, 6} : new float[] {6, 7}, graph[0].toFloatArray());
            assertSame(program.apply(new Tensor[] {Tensors.scalar(p), x, a, b}), graph);
        }
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
            Tensor k = g.placeholder("k", DType.FLOAT32, Shape.SCALAR);
            Tensor y = Ops.cond(p, () -> k.mul(2f), () -> Tensors.scalar(0f));
            Node n = g.outputOf(y).node();
            assertEquals(List.of(g.outputOf(p), g.outputOf(k)), n.inputs());
        }
    }

    @Test
    void condErrors() {
        OpException e = assertThrows(OpException.class,
                () -> Ops.cond(Tensors.scalar(1), () -> Tensors.scalar(1f), () -> Tensors.scalar(2f)));
        assertEquals("Cond: pred must be a bool scalar, got int32()", e.getMessage());
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
            Tensor vec = g.placeholder("v", DType.BOOL, Shape.of(2));
            e = assertThrows(OpException.class,
                    () -> Ops.cond(vec, () -> Tensors.scalar(1f), () -> Tensors.scalar(2f)));
            assertTrue(e.getMessage().contains("pred must be a bool scalar, got bool(2,)"), e.getMessage());
            e = assertThrows(OpException.class,
                    () -> Ops.cond(p, () -> Tensors.scalar(1f), () -> Tensors.scalar(2.0)));
            assertTrue(e.getMessage().startsWith("Cond: while building node 'Cond': branch 'else' returns "
                    + "float64() as output 0 but branch 'then' returns float32(); all branches must return the same "
                    + "dtypes"), e.getMessage());
            e = assertThrows(OpException.class, () -> Ops.cond(p, () -> new Tensor[] {Tensors.scalar(1f)},
                    () -> new Tensor[0]));
            assertTrue(e.getMessage().contains("branch 'else' returns 0 values"), e.getMessage());
            e = assertThrows(OpException.class,
                    () -> Ops.cond(p, () -> Ops.zeros(DType.FLOAT32, 2), () -> Ops.zeros(DType.FLOAT32, 2, 1)));
            assertTrue(e.getMessage().contains("all branches must return the same ranks"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- case

    @Test
    void caseRunsTheIndexedBranchAndTheDefaultOutOfRange() {
        java.util.function.Function<Tensor[], Tensor[]> program = in -> Ops.caseOf(in[0], List.<Supplier<Tensor[]>>of(
                () -> new Tensor[] {in[1].add(1f)},
                () -> new Tensor[] {in[1].mul(10f)},
                () -> new Tensor[] {in[1].neg()}), () -> new Tensor[] {Ops.zerosLike(in[1])});
        Tensor x = Tensors.of(new float[] {1, 2});
        float[][] expected = {{2, 3}, {10, 20}, {-1, -2}, {0, 0}, {0, 0}};
        int[] indices = {0, 1, 2, 3, -1};
        for (int k = 0; k < indices.length; k++) {
            Tensor i = Tensors.scalar(indices[k]);
            Tensor[] graph = inGraph(program, i, x);
            assertArrayEquals(expected[k], graph[0].toFloatArray(), "index " + indices[k]);
            assertSame(program.apply(new Tensor[] {i, x}), graph);
        }
        // Single-output form without default: out of range runs the last branch (tf.switch_case).
        assertEquals(30, Ops.caseOf(Tensors.scalar(9), () -> Tensors.scalar(10), () -> Tensors.scalar(30))
                .intValue());
        Tensor[] g = inGraph(in -> new Tensor[] {Ops.caseOf(in[0], () -> Tensors.scalar(10),
                () -> Tensors.scalar(30))}, Tensors.scalar(0));
        assertEquals(10, g[0].intValue());
    }

    @Test
    void caseErrors() {
        OpException e = assertThrows(OpException.class,
                () -> Ops.caseOf(Tensors.scalar(1L), () -> Tensors.scalar(1f)));
        assertEquals("Case: branchIndex must be an int32 scalar, got int64()", e.getMessage());
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor i = g.placeholder("i", DType.INT32, Shape.SCALAR);
            e = assertThrows(OpException.class, () -> Ops.caseOf(i, () -> Tensors.scalar(1f),
                    () -> Tensors.scalar(1f), () -> Tensors.scalar(1)));
            assertTrue(e.getMessage().contains("branch 2 returns int32() as output 0 but branch 0 returns float32()"),
                    e.getMessage());
        }
    }

    // ---------------------------------------------------------------- while

    private static Tensor[] sumLoop(Tensor[] in, int max) {
        // i = 0, acc = 0; while i < n: acc += i * i; i += 1
        return Ops.whileLoop(v -> v[0].less(in[0]), v -> new Tensor[] {v[0].add(1), v[1].add(v[0].mul(v[0]))},
                new Tensor[] {Tensors.scalar(0), Tensors.scalar(0)}, max);
    }

    @Test
    void whileLoopEagerAndGraphAgreeAndMaximumIterationsStops() {
        for (int n : new int[] {0, 1, 7}) {
            Tensor nt = Tensors.scalar(n);
            Tensor[] graph = inGraph(in -> sumLoop(in, -1), nt);
            int acc = 0;
            for (int i = 0; i < n; i++) acc += i * i;
            assertEquals(n, graph[0].intValue());
            assertEquals(acc, graph[1].intValue());
            assertSame(sumLoop(new Tensor[] {nt}, -1), graph);
        }
        Tensor big = Tensors.scalar(1000);
        Tensor[] graph = inGraph(in -> sumLoop(in, 4), big);
        assertEquals(4, graph[0].intValue());
        assertEquals(0 + 1 + 4 + 9, graph[1].intValue());
        assertSame(sumLoop(new Tensor[] {big}, 4), graph);
        assertEquals(0, inGraph(in -> sumLoop(in, 0), big)[0].intValue());
    }

    /** Collatz steps: a cond nested in the body of a while. */
    private static Tensor[] collatz(Tensor[] in) {
        return Ops.whileLoop(v -> v[0].greater(1),
                v -> new Tensor[] {Ops.cond(v[0].mod(2).equal(0), () -> v[0].floorDiv(2), () -> v[0].mul(3).add(1)),
                        v[1].add(1)},
                new Tensor[] {in[0], Tensors.scalar(0)});
    }

    @Test
    void condNestedInsideWhile() {
        for (int start : new int[] {1, 6, 27}) {
            int steps = 0;
            for (long x = start; x > 1; x = x % 2 == 0 ? x / 2 : 3 * x + 1) steps++;
            Tensor s = Tensors.scalar(start);
            Tensor[] graph = inGraph(ControlFlowOpsTest::collatz, s);
            assertEquals(1, graph[0].intValue());
            assertEquals(steps, graph[1].intValue(), "start " + start);
            assertSame(collatz(new Tensor[] {s}), graph);
        }
    }

    @Test
    void whileCapturesOuterTensorsInCondAndBody() {
        // limit is captured by cond, step by body.
        java.util.function.Function<Tensor[], Tensor[]> program = in -> Ops.whileLoop(v -> v[0].sum().less(in[1]),
                v -> new Tensor[] {v[0].add(in[2])}, new Tensor[] {in[0]});
        Tensor x = Tensors.of(new float[] {0, 1});
        Tensor limit = Tensors.scalar(20f);
        Tensor step = Tensors.of(new float[] {1, 2});
        Tensor[] graph = inGraph(program, x, limit, step);
        float[] expected = {0, 1};
        while (expected[0] + expected[1] < 20) {
            expected[0] += 1;
            expected[1] += 2;
        }
        assertArrayEquals(expected, graph[0].toFloatArray());
        assertSame(program.apply(new Tensor[] {x, limit, step}), graph);
    }

    @Test
    void nestedBranchCapturesATensorTwoGraphsOut() {
        // The cond's branch inside the loop body uses `scale`, a tensor of the outermost graph: the branch captures
        // it from the body, which captures it from the outer graph.
        java.util.function.Function<Tensor[], Tensor[]> program = in -> Ops.whileLoop(v -> v[0].less(4),
                v -> new Tensor[] {v[0].add(1), Ops.cond(v[0].mod(2).equal(0), () -> v[1].mul(in[1]),
                        () -> v[1].add(1f))},
                new Tensor[] {Tensors.scalar(0), in[0]});
        Tensor x = Tensors.of(new float[] {1, 2});
        Tensor scale = Tensors.scalar(3f);
        Tensor[] graph = inGraph(program, x, scale);
        float[] expected = {1, 2};
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 2; k++) expected[k] = i % 2 == 0 ? expected[k] * 3 : expected[k] + 1;
        }
        assertArrayEquals(expected, graph[1].toFloatArray());
        assertSame(program.apply(new Tensor[] {x, scale}), graph);
    }

    @Test
    void loopVarWhoseShapeChangesGetsUnknownDims() {
        java.util.function.Function<Tensor[], Tensor[]> program = in -> Ops.whileLoop(v -> v[0].less(3),
                v -> new Tensor[] {v[0].add(1), Ops.concat(0, v[1], v[1])}, new Tensor[] {Tensors.scalar(0), in[0]});
        Tensor x = Tensors.of(new float[] {1, 2});
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor[] out = program.apply(new Tensor[] {g.placeholder("x", DType.FLOAT32, Shape.of(2))});
            assertEquals(Shape.of(-1), out[1].shape());
        }
        Tensor[] graph = inGraph(program, x);
        assertEquals(Shape.of(16), graph[1].shape());
        assertSame(program.apply(new Tensor[] {x}), graph);
        // Explicit invariants that the body breaks are an error naming the loop var.
        Graph g2 = new Graph();
        try (ExecutionContext.Scope s = g2.asDefault()) {
            Tensor p = g2.placeholder("x", DType.FLOAT32, Shape.of(2));
            OpException e = assertThrows(OpException.class, () -> Ops.whileLoop(v -> v[0].less(3),
                    v -> new Tensor[] {v[0].add(1), Ops.concat(0, v[1], v[1])},
                    new Tensor[] {Tensors.scalar(0), p}, -1, new Shape[] {Shape.SCALAR, Shape.of(2)}));
            assertTrue(e.getMessage().contains("loop var 1 enters the body as float32(2,) but the body returns "
                    + "float32(4,); it does not fit the shape invariant"), e.getMessage());
        }
    }

    @Test
    void whileErrors() {
        // Eager and graph: a body that changes a loop var's dtype is named.
        OpException e = assertThrows(OpException.class, () -> Ops.whileLoop(v -> v[0].less(3),
                v -> new Tensor[] {v[0].add(1), v[1].cast(DType.FLOAT64)},
                new Tensor[] {Tensors.scalar(0), Tensors.scalar(1f)}));
        assertEquals("While: loop var 1 enters the body as float32() but the body returns float64(); the body must "
                + "keep each loop var's dtype", e.getMessage());
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor x = g.placeholder("x", DType.FLOAT32, Shape.SCALAR);
            e = assertThrows(OpException.class, () -> Ops.whileLoop(v -> v[0].less(3),
                    v -> new Tensor[] {v[0].add(1), v[1].cast(DType.FLOAT64)}, new Tensor[] {Tensors.scalar(0), x}));
            assertTrue(e.getMessage().contains("loop var 1 enters the body as float32() but the body returns "
                    + "float64()"), e.getMessage());
            e = assertThrows(OpException.class, () -> Ops.whileLoop(v -> v[0], v -> new Tensor[] {v[0].add(1)},
                    new Tensor[] {x}));
            assertTrue(e.getMessage().contains("cond must return one bool scalar, got [float32()]"), e.getMessage());
        }
        e = assertThrows(OpException.class, () -> Ops.whileLoop(v -> v[0], v -> new Tensor[] {v[0].add(1)},
                new Tensor[] {Tensors.scalar(1)}));
        assertEquals("While: cond must return one bool scalar, got int32()", e.getMessage());
        Graph g2 = new Graph();
        try (ExecutionContext.Scope s = g2.asDefault()) {
            Tensor x = g2.placeholder("x", DType.FLOAT32, Shape.SCALAR);
            IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                    () -> Ops.whileLoop(v -> v[0].less(1f), v -> null, new Tensor[] {x}));
            assertEquals("While: body returned null", n.getMessage());
            n = assertThrows(IllegalArgumentException.class,
                    () -> Ops.cond(Tensors.scalar(true), () -> new Tensor[] {x}, () -> new Tensor[] {null}));
            assertTrue(n.getMessage().endsWith("returned null as value 0"), n.getMessage());
        }
    }

    /** The op's keepIntermediates mode, as a gradient rule will use it: rebuild the node with the flag on. */
    @Test
    void keepIntermediatesStacksTheLoopVarsOfEachIteration() {
        Graph g = new Graph();
        Tensor x;
        Tensor[] out;
        Node loop;
        try (ExecutionContext.Scope s = g.asDefault()) {
            x = g.placeholder("x", DType.FLOAT32, Shape.of(2));
            Tensor[] r = Ops.whileLoop(v -> v[0].less(3), v -> new Tensor[] {v[0].add(1), v[1].mul(2f)},
                    new Tensor[] {Tensors.scalar(0), x});
            loop = g.outputOf(r[0]).node();
            Node kept = g.addNode(loop.op(), loop.attrs().with("keepIntermediates", true), loop.inputs(), null);
            out = kept.outputs();
        }
        assertEquals(5, out.length);
        assertEquals(Shape.of(-1, 2), out[3].shape());
        List<Output> fetches = new ArrayList<>();
        for (Tensor t : out) fetches.add(g.outputOf(t));
        List<Tensor> r = SerialExecutor.run(g, Map.of(g.outputOf(x), Tensors.of(new float[] {1, -1})), fetches,
                List.of());
        assertEquals(3, r.get(0).intValue());
        assertArrayEquals(new float[] {8, -8}, r.get(1).toFloatArray());
        TensorAssert.assertExact(new long[] {0, 1, 2}, r.get(2), DType.INT32, 3);
        assertArrayEquals(new float[] {1, -1, 2, -2, 4, -4}, r.get(3).toFloatArray());
        assertEquals(Shape.of(3, 2), r.get(3).shape());
        assertEquals(3, r.get(4).intValue());
        // No iteration: empty stacks shaped [0, ...].
        List<Tensor> none = SerialExecutor.run(g, Map.of(g.outputOf(x), Tensors.of(new float[] {1, -1}),
                loop.inputs().get(0), Tensors.scalar(5)), fetches, List.of());
        assertEquals(Shape.of(0, 2), none.get(3).shape());
        assertEquals(0, none.get(4).intValue());
    }

    /** The examples of docs/ops/control-flow.md. */
    @Test
    void docsExamples() {
        Tensor x = Tensors.of(new float[] {1, -2, 3});
        assertArrayEquals(new float[] {2, -4, 6}, Ops.cond(x.sum().greater(0f), () -> x.mul(2), () -> x.neg())
                .toFloatArray());
        assertEquals(20, Ops.caseOf(Tensors.scalar(1), () -> Tensors.scalar(10), () -> Tensors.scalar(20)).intValue());
        Tensor[] r = Ops.whileLoop(v -> v[0].less(10), v -> new Tensor[] {v[0].add(1), v[1].mul(2)},
                new Tensor[] {Tensors.scalar(0), Tensors.scalar(1)});
        assertEquals(10, r[0].intValue());
        assertEquals(1024, r[1].intValue());
    }
}
