package org.nabla.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.ops.OpException;

class SessionTest {
    /** x:[-1,3] placeholder, y = relu(x @ w), z = y * 2, plus an unrelated branch u on placeholder p. */
    private static final class Model {
        final Graph g = new Graph();
        final Tensor x;
        final Tensor p;
        final Tensor y;
        final Tensor z;
        final Tensor u;

        Model() {
            try (ExecutionContext.Scope s = g.asDefault()) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3));
                p = g.placeholder("p", DType.FLOAT32, Shape.SCALAR);
                Tensor w = g.constant("w", new float[][] {{1}, {2}, {3}});
                y = Ops.relu(Ops.matmul(x, w));
                z = Ops.mul(y, 2f);
                u = Ops.add(p, 1f);
            }
        }
    }

    private static final Tensor FEED = Tensors.of(new float[][] {{1, 1, 1}, {-1, 0, 0}});

    @Test
    void runsTheFetchesWithFeeds() {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            List<Tensor> out = s.run(List.of(m.y, m.z), Map.of(m.x, FEED));
            assertArrayEquals(new float[] {6, 0}, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {12, 0}, out.get(1).toFloatArray());
            assertEquals(Shape.of(2, 1), out.get(1).shape());
            // the runner form and Java values as feeds (converted to the placeholder's dtype)
            List<Tensor> r = s.runner().feed(m.x, new double[][] {{0, 0, 1}}).fetch(m.z).fetch("Relu:0").run();
            assertArrayEquals(new float[] {6}, r.get(0).toFloatArray());
            assertArrayEquals(new float[] {3}, r.get(1).toFloatArray());
            assertEquals(DType.FLOAT32, r.get(0).dtype());
        }
    }

    @Test
    void prunesToWhatTheFetchesNeed() {
        Model m = new Model();
        // optimization off: this checks pruning alone (fusion would merge Relu and Mul)
        try (Session s = new Session(m.g, SessionOptions.defaults()
                .optimizerOptions(org.nabla.runtime.optimize.OptimizerOptions.NONE))) {
            // p is not fed, but u is not needed for z: the run succeeds
            Session.Result r = s.runWithMetadata(List.of(m.z), Map.of(m.x, FEED), List.of());
            Set<String> ran = r.metadata().nodeStats().stream().map(RunMetadata.NodeStats::node)
                    .collect(Collectors.toSet());
            assertEquals(Set.of("w", "MatMul", "Relu", "Mul", "Const"), ran);
            // the partition graph holds exactly the pruned nodes and the fed placeholder
            Graph part = r.metadata().partitionGraphs().get(0);
            assertEquals(Set.of("x", "w", "MatMul", "Relu", "Mul", "Const"),
                    part.nodes().stream().map(Node::name).collect(Collectors.toSet()));
        }
    }

    @Test
    void feedingAnIntermediateCutsTheWalk() {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            // y fed: x is no longer needed
            Tensor z = s.run(List.of(m.z), Map.of(m.y, Tensors.of(new float[][] {{5}}))).get(0);
            assertArrayEquals(new float[] {10}, z.toFloatArray());
            // fetching a fed tensor returns the fed value
            Tensor fed = Tensors.of(new float[][] {{7}});
            assertSame(fed, s.run(List.of(m.y), Map.of(m.y, fed)).get(0));
        }
    }

    @Test
    void missingFeedsAreAllListedByName() {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(m.z, m.u)));
            assertEquals("Session.run: missing feeds for placeholders 'x' " + m.x.spec() + ", 'p' " + m.p.spec()
                    + "; the fetches and targets need them", e.getMessage());
            IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> s.run(m.u));
            assertTrue(one.getMessage().startsWith("Session.run: missing feed for placeholder 'p'"),
                    one.getMessage());
        }
    }

    @Test
    void wrongDTypeOrShapeNamesThePlaceholder() {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(m.z), Map.of(m.x, Tensors.of(new int[][] {{1, 2, 3}}))));
            assertEquals("Session.run: placeholder 'x' expects dtype float32, the fed value has dtype int32",
                    dtype.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(m.z), Map.of(m.x, Tensors.of(new float[][] {{1, 2}}))));
            assertEquals("Session.run: placeholder 'x' has shape (None, 3), the fed value's shape (1, 2) is not "
                    + "compatible", shape.getMessage());
            IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                    () -> s.run(List.of(m.u), Map.of(m.p, new float[] {1, 2})));
            assertTrue(scalar.getMessage().startsWith("Session.run: placeholder 'p' has shape"), scalar.getMessage());
        }
    }

    @Test
    void plansAreCachedPerFeedsFetchesAndTargets() {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            s.run(List.of(m.z), Map.of(m.x, FEED));
            s.run(List.of(m.z), Map.of(m.x, Tensors.of(new float[][] {{0, 1, 0}})));
            assertEquals(1, s.cachedPlans());
            s.run(List.of(m.y), Map.of(m.x, FEED));
            assertEquals(2, s.cachedPlans());
            s.run(List.of(m.y, m.u), Map.of(m.x, FEED, m.p, 1f));
            s.run(List.of(m.y, m.u), Map.of(m.p, 2f, m.x, FEED));
            assertEquals(3, s.cachedPlans());
        }
    }

    @Test
    void targetsRunWithoutBeingReturnedAndControlDependenciesAreRespected() {
        Graph g = new Graph();
        org.nabla.Variable v;
        Tensor read;
        Node group;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            v = Variables.create(g, "v", 0f);
            Node init = Variables.globalVariablesInitializer(g);
            Tensor add1;
            try (Graph.ControlScope c = g.withControlDependencies(List.of(init))) {
                add1 = v.assignAdd(1f);
            }
            Tensor add2;
            try (Graph.ControlScope c = g.withControlDependencies(List.of(add1))) {
                add2 = v.assignAdd(10f);
            }
            try (Graph.ControlScope c = g.withControlDependencies(List.of(add2))) {
                read = v.read();
            }
            group = g.addNode(org.nabla.ops.GraphOps.NO_OP, org.nabla.ops.Attrs.EMPTY, List.of(),
                    List.of(g.outputOf(add2).node()), "group");
        }
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().mode(mode))) {
                assertEquals(11f, s.run(read).floatValue(), mode.toString());
                List<Tensor> none = s.run(List.of(), Map.of(), List.of(group));
                assertTrue(none.isEmpty());
                assertEquals(11f, s.run(read).floatValue(), "init reruns before the adds");
                assertTrue(s.runner().addTarget("group").run().isEmpty());
            }
        }
    }

    @Test
    void kernelErrorsNameTheNode() {
        Graph g = new Graph();
        Tensor bad;
        try (ExecutionContext.Scope sc = g.asDefault()) {
            Tensor a = g.placeholder("a", DType.FLOAT32, Shape.of(-1));
            Tensor b = g.placeholder("b", DType.FLOAT32, Shape.of(-1));
            bad = Ops.add(a, b);
        }
        for (ExecutionMode mode : ExecutionMode.values()) {
            try (Session s = new Session(g, SessionOptions.defaults().mode(mode))) {
                OpException e = assertThrows(OpException.class, () -> s.run(List.of(bad),
                        Map.of(g.tensor("a"), new float[] {1, 2}, g.tensor("b"), new float[] {1, 2, 3})));
                assertTrue(e.getMessage().startsWith("Add: in node 'Add' on /job:localhost/replica:0/task:0/"
                        + "device:CPU:0: "), e.getMessage());
                assertTrue(e.getMessage().contains("(2,)") && e.getMessage().contains("(3,)"), e.getMessage());
            }
        }
    }

    @Test
    void closedSessionFailsClearlyAndBadArgumentsAreRejected() {
        Model m = new Model();
        Session s = new Session(m.g);
        assertArrayEquals(new float[] {12, 0}, s.run(List.of(m.z), Map.of(m.x, FEED)).get(0).toFloatArray());
        s.close();
        assertTrue(s.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.run(m.u));
        assertEquals("this Session is closed; create a new one to run the graph", e.getMessage());
        s.close(); // closing twice is harmless

        try (Session t = new Session(m.g)) {
            IllegalArgumentException eager = assertThrows(IllegalArgumentException.class,
                    () -> t.run(Tensors.scalar(1f)));
            assertTrue(eager.getMessage().contains("is not a graph tensor"), eager.getMessage());
            Model other = new Model();
            IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> t.run(other.u));
            assertTrue(foreign.getMessage().contains("belongs to another graph"), foreign.getMessage());
            IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                    () -> t.run(List.of(), Map.of(), List.of(42)));
            assertTrue(target.getMessage().contains("a target must be"), target.getMessage());
            assertFalse(t.isClosed());
        }
    }

    @Test
    void concurrentRunsOfOneSessionAreIndependent() throws Exception {
        Model m = new Model();
        try (Session s = new Session(m.g)) {
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < 4; t++) {
                float k = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        Tensor z = s.run(List.of(m.z), Map.of(m.x, new float[][] {{k, 0, 0}})).get(0);
                        if (z.toFloatArray()[0] != 2 * k) failures.incrementAndGet();
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) th.join();
            assertEquals(0, failures.get());
        }
    }
}
