package org.nabla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.TensorSpec;

/** Tracing: the same programs run eagerly and as traced functions give the same results; traces are cached. */
class FunctionTest {
    private static Tensor randomMatrix(Random r, int rows, int cols) {
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        return Tensors.of(a, rows, cols);
    }

    private static void assertSameValues(Tensor expected, Tensor actual) {
        assertEquals(expected.spec(), actual.spec());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 1e-6);
    }

    @Test
    void mlpForwardTracedEqualsEagerAndRetracesOnlyForNewSignatures() {
        Random r = new Random(1);
        Variable w1 = Variable.of(randomMatrix(r, 4, 8));
        Variable b1 = Variable.of(new float[8]);
        Variable w2 = Variable.of(randomMatrix(r, 8, 3));
        Tensor b2 = Tensors.of(new float[] {0.1f, -0.2f, 0.3f}); // an eager tensor: becomes a Const
        AtomicInteger javaRuns = new AtomicInteger();
        java.util.function.UnaryOperator<Tensor> mlp = x -> {
            javaRuns.incrementAndGet();
            Tensor hidden = Ops.relu(Ops.matmul(x, w1.read()).add(b1.read()));
            return Ops.softmax(Ops.matmul(hidden, w2.read()).add(b2));
        };
        TracedFunction f = TracedFunction.unary(mlp);
        Tensor x = randomMatrix(r, 5, 4);
        Tensor eager = mlp.apply(x);
        assertSameValues(eager, f.apply(x));
        assertSameValues(eager, f.apply(x));
        assertEquals(1, f.traceCount());
        assertEquals(2, javaRuns.get()); // one eager run, one trace; the calls ran the graph only
        f.apply(randomMatrix(r, 2, 4));
        assertEquals(2, f.traceCount());
        assertEquals(2, f.tracedSignatures().size());

        // A declared signature with an unknown batch dim: one trace serves every batch size.
        TracedFunction g = TracedFunction.unary(mlp).withInputSignature(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 4)));
        for (int batch : new int[] {1, 3, 7}) {
            Tensor xb = randomMatrix(r, batch, 4);
            assertSameValues(mlp.apply(xb), g.apply(xb));
        }
        assertEquals(1, g.traceCount());
        assertEquals(Shape.of(-1, 3), g.graph(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 4))).outputSpecs().get(0)
                .shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.apply(randomMatrix(r, 2, 5)));
        assertTrue(e.getMessage().contains("argument 0 is float32(2, 5), which does not fit the input signature's "
                + "float32(None, 4)"), e.getMessage());

        // A new variable value is seen by the next call without retracing.
        w2.assign(Ops.zeros(DType.FLOAT32, 8, 3));
        assertSameValues(mlp.apply(x), f.apply(x));
        assertEquals(2, f.traceCount());

        // The graph can be printed: variable reads are nodes, the captured eager tensor a Const.
        String printed = f.concreteFunction(x.spec()).toString();
        assertTrue(printed.contains("ReadVariable") && printed.contains("Const") && printed.contains("Softmax"),
                printed);
    }

    /** A loop with a cond inside: sum over i < n of (i even ? i : -i * x). */
    private static Tensor[] loopWithCond(Tensor[] in) {
        Tensor n = in[0];
        Tensor x = in[1];
        return Ops.whileLoop(v -> v[0].less(n),
                v -> new Tensor[] {v[0].add(1), v[1].add(Ops.cond(v[0].mod(2).equal(0),
                        () -> v[0].cast(DType.FLOAT32).mul(Ops.onesLike(x)), () -> x.mul(v[0].cast(DType.FLOAT32))
                                .neg()))},
                new Tensor[] {Tensors.scalar(0), Ops.zerosLike(x)});
    }

    @Test
    void loopWithCondTracedEqualsEager() {
        TracedFunction f = TracedFunction.of("loopWithCond", FunctionTest::loopWithCond);
        Tensor x = Tensors.of(new float[] {1, 0.5f});
        for (int n : new int[] {0, 3, 10}) {
            Tensor[] eager = loopWithCond(new Tensor[] {Tensors.scalar(n), x});
            Tensor[] traced = f.call(Tensors.scalar(n), x);
            assertSameValues(eager[0], traced[0]);
            assertSameValues(eager[1], traced[1]);
            float[] expected = new float[2];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2; k++) expected[k] += i % 2 == 0 ? i : -i * x.toFloatArray()[k];
            }
            assertArrayEquals(expected, traced[1].toFloatArray(), 1e-5f);
        }
        assertEquals(1, f.traceCount()); // n is a tensor argument: its value does not change the signature
        String printed = f.concreteFunction(Tensors.scalar(0).spec(), x.spec()).toString();
        assertTrue(printed.contains("  while_body_") && printed.contains("      cond_then_")
                && printed.contains("Cond = Cond["), printed);
    }

    @Test
    void variableUpdatesInsideTheFunctionRunInProgramOrder() {
        Variable counter = Variable.of(0);
        // Nothing fetches the increment, yet it runs on every call; the read after it sees the new value.
        TracedFunction step = TracedFunction.of(args -> {
            counter.assignAdd(1);
            return new Tensor[] {counter.read().mul(10)};
        });
        assertEquals(10, step.call()[0].intValue());
        assertEquals(20, step.call()[0].intValue());
        assertEquals(2, counter.read().intValue());
        counter.assign(100);
        assertEquals(1010, step.call()[0].intValue());
        assertEquals(1, step.traceCount());
        // The same program eagerly.
        Variable eagerCounter = Variable.of(0);
        eagerCounter.assignAdd(1);
        assertEquals(10, eagerCounter.read().mul(10).intValue());

        // An assignment whose result nobody uses, and a read before it.
        Variable v = Variable.of(new float[] {1, 2});
        TracedFunction swap = TracedFunction.of(args -> {
            Tensor old = v.read();
            v.assign(args[0]);
            return new Tensor[] {old};
        });
        assertArrayEquals(new float[] {1, 2}, swap.call(Tensors.of(new float[] {5, 6}))[0].toFloatArray());
        assertArrayEquals(new float[] {5, 6}, v.read().toFloatArray());
        assertArrayEquals(new float[] {5, 6}, swap.call(Tensors.of(new float[] {7, 8}))[0].toFloatArray());
        List<Node> effects = swap.concreteFunction(TensorSpec.of(DType.FLOAT32, Shape.of(2))).effectfulNodes();
        assertEquals(List.of("ReadVariable", "AssignVariable"), effects.stream().map(n -> n.op().name()).toList());
        assertEquals(List.of(effects.get(0)), effects.get(1).controlInputs());
    }

    @Test
    void effectsAreOrderedPerVariable() {
        Variable a = Variable.of(0f);
        Variable b = Variable.of(0f);
        TracedFunction f = TracedFunction.of(args -> {
            a.assign(args[0]);
            b.assign(args[0].mul(2f));
            Tensor sum = a.read().add(b.read());
            Tensor viaCond = Ops.cond(args[0].greater(0f), () -> a.read(), () -> Tensors.scalar(-1f));
            return new Tensor[] {sum, viaCond};
        });
        Tensor[] r = f.call(Tensors.scalar(3f));
        assertEquals(9f, r[0].floatValue());
        assertEquals(3f, r[1].floatValue());
        ConcreteFunction c = f.concreteFunction(TensorSpec.of(DType.FLOAT32, Shape.SCALAR));
        java.util.Map<String, Node> byOp = new java.util.HashMap<>();
        for (Node n : c.effectfulNodes()) byOp.putIfAbsent(n.op().name() + "/" + n.attrs().get("name"), n);
        Node assignA = byOp.get("AssignVariable/" + a.name());
        Node assignB = byOp.get("AssignVariable/" + b.name());
        Node readA = byOp.get("ReadVariable/" + a.name());
        Node readB = byOp.get("ReadVariable/" + b.name());
        Node cond = byOp.get("Cond/null");
        assertEquals(List.of(), assignB.controlInputs()); // b's ops do not wait for a's
        assertEquals(List.of(assignA), readA.controlInputs());
        assertEquals(List.of(assignB), readB.controlInputs());
        assertEquals(List.of(readA), cond.controlInputs()); // the branch reads a: ordered after the last use of a
        assertEquals(5, c.effectfulNodes().size());
    }

    @Test
    void sideEffectsInsideACondBranchRunOnlyWhenTaken() {
        Variable positives = Variable.of(0);
        java.util.function.Function<Tensor[], Tensor[]> body = args -> new Tensor[] {Ops.cond(
                args[0].greater(0f), () -> {
                    positives.assignAdd(1);
                    return args[0];
                }, () -> args[0].neg())};
        TracedFunction f = TracedFunction.of(body);
        float[] inputs = {3, -2, 5, 0, 1};
        for (float in : inputs) {
            assertEquals(Math.abs(in), f.call(Tensors.scalar(in))[0].floatValue(), 0f);
        }
        assertEquals(3, positives.read().intValue());
        // Eagerly, the same program.
        positives.assign(0);
        for (float in : inputs) body.apply(new Tensor[] {Tensors.scalar(in)});
        assertEquals(3, positives.read().intValue());
    }

    @Test
    void javaControlFlowRunsOnceAtTraceTime() {
        AtomicInteger traces = new AtomicInteger();
        TracedFunction f = TracedFunction.unary(x -> {
            traces.incrementAndGet();
            Tensor y = x;
            for (int i = 0; i < 3; i++) y = y.mul(2f); // unrolled into three Mul nodes
            return y;
        });
        Tensor x = Tensors.of(new float[] {1, 2});
        assertArrayEquals(new float[] {8, 16}, f.apply(x).toFloatArray());
        assertArrayEquals(new float[] {8, 16}, f.apply(x).toFloatArray());
        assertEquals(1, traces.get());
        long muls = f.graph(x.spec()).graph().nodes().stream().filter(n -> n.op().name().equals("Mul")).count();
        assertEquals(3, muls);
    }

    @Test
    void aJavaIfOnATensorValueFailsWhileTracing() {
        TracedFunction f = TracedFunction.unary(x -> x.sum().floatValue() > 0 ? x : x.neg());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> f.apply(Tensors.of(new float[] {1, 2})));
        // the message names the public method the code called, and what to do instead
        assertTrue(e.getMessage().contains("floatValue(): tensor float32() is symbolic")
                && e.getMessage().contains("Ops.cond"), e.getMessage());
        assertEquals(0, f.traceCount());
        // Ops.cond expresses the same decision in the graph.
        TracedFunction g = TracedFunction.unary(x -> Ops.cond(x.sum().greater(0f), () -> x, () -> x.neg()));
        assertArrayEquals(new float[] {1, 2}, g.apply(Tensors.of(new float[] {-1, -2})).toFloatArray());
    }

    @Test
    void calledInsideAGraphTheFunctionIsInlined() {
        TracedFunction f = TracedFunction.unary(x -> x.add(1f));
        Graph g = new Graph();
        try (ExecutionContext.Scope s = g.asDefault()) {
            Tensor p = g.placeholder("p", DType.FLOAT32, Shape.of(2));
            Tensor y = f.apply(p);
            assertEquals("Add", g.outputOf(y).node().op().name());
        }
        assertEquals(0, f.traceCount());
        // Under another recording context (as a gradient tape is), the ops go to that context too.
        List<String> recorded = new java.util.ArrayList<>();
        org.nabla.eager.ExecutionContext recorder = (op, attrs, inputs) -> {
            recorded.add(op.name());
            return org.nabla.eager.EagerContext.INSTANCE.execute(op, attrs, inputs);
        };
        try (ExecutionContext.Scope s = ExecutionContext.enter(recorder)) {
            assertArrayEquals(new float[] {2, 3}, f.apply(Tensors.of(new float[] {1, 2})).toFloatArray());
        }
        assertEquals(List.of("Add"), recorded);
        assertEquals(0, f.traceCount());
    }

    @Test
    void errorsAreClear() {
        Graph g = new Graph();
        Tensor outer;
        try (ExecutionContext.Scope s = g.asDefault()) {
            outer = g.placeholder("outer", DType.FLOAT32, Shape.SCALAR);
        }
        TracedFunction f = TracedFunction.unary(x -> x.add(outer));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.apply(Tensors.scalar(1f)));
        assertTrue(e.getMessage().contains("uses tensors of another graph: [outer:0]"), e.getMessage());
        TracedFunction two = TracedFunction.of(a -> new Tensor[] {a[0], a[0]});
        e = assertThrows(IllegalArgumentException.class, () -> two.apply(Tensors.scalar(1f)));
        assertTrue(e.getMessage().contains("returns 2 values; use call()"), e.getMessage());
        ConcreteFunction c = two.concreteFunction(TensorSpec.of(DType.FLOAT32, Shape.SCALAR));
        e = assertThrows(IllegalArgumentException.class, () -> c.call(Tensors.scalar(1)));
        assertTrue(e.getMessage().contains("argument 0 is int32() but the signature expects float32()"),
                e.getMessage());
    }
}
