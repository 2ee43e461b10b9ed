package org.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.autodiff.Gradients;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * Cond and While whose branches and bodies place nodes on another task than the Cond/While node: each call runs the
 * function's share on that task (registered once, run per call with the call's frame) with Send/Recv between the
 * tasks. Values are checked against plain Java and against the same graph on two CPU devices of one process.
 */
@Timeout(60)
class ControlFlowAcrossTasksTest {
    private static final DistributedOptions FAST = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(3))
            .stepTimeout(Duration.ofSeconds(20));
    private static final String T0 = "/job:worker/task:0";
    private static final String T1 = "/job:worker/task:1";
    private static final double[][] W = {{0.5, -1}, {0.25, 2}};
    private static final double[][] X = {{1, 0.5}, {-0.25, 2}};
    private static Cluster cluster;

    @BeforeAll
    static void start() throws IOException { cluster = new Cluster(2, FAST); }

    @AfterAll
    static void stop() { cluster.close(); }

    /** x, the loop h = tanh(h @ w) + h three times (tanh(h @ w) on {@code there}, the sum on {@code here}). */
    private record Loop(Graph g, Tensor x, Tensor h) {
        static Loop build(String here, String there) {
            Graph g = new Graph();
            try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device(here)) {
                Tensor x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
                Tensor w = g.constant("w", W);
                Tensor h = Ops.whileLoop(v -> v[0].less(3), v -> {
                    Tensor t;
                    try (Graph.ControlScope d1 = Ops.device(there)) {
                        t = Ops.tanh(Ops.matmul(v[1], w));
                    }
                    return new Tensor[] {v[0].add(1), t.add(v[1])};
                }, new Tensor[] {Tensors.scalar(0), x})[1];
                return new Loop(g, x, h);
            }
        }
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) for (int k = 0; k < b.length; k++) c[i][j] += a[i][k] * b[k][j];
        }
        return c;
    }

    private static double[] flat(double[][] a) { return new double[] {a[0][0], a[0][1], a[1][0], a[1][1]}; }

    /** Waits (a little) for both workers to hold no step state. */
    private static void assertStepsFreed() throws InterruptedException {
        for (int i = 0; i < 50 && cluster.server(0).liveSteps() + cluster.server(1).liveSteps() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, cluster.server(0).liveSteps(), "task 0");
        assertEquals(0, cluster.server(1).liveSteps(), "task 1");
    }

    @Test
    void aLoopOnTaskZeroWithItsBodyOnTaskOne() throws Exception {
        double[][] h = X;
        for (int it = 0; it < 3; it++) {
            double[][] t = matmul(h, W);
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) t[i][j] = Math.tanh(t[i][j]) + h[i][j];
            h = t;
        }
        Loop local = Loop.build("/device:CPU:0", "/device:CPU:1");
        double[] oneProcess;
        try (Session s = new Session(local.g(), SessionOptions.defaults().cpuDevices(2))) {
            oneProcess = s.run(List.of(local.h()), Map.of(local.x(), X)).get(0).toDoubleArray();
        }
        assertArrayEquals(flat(h), oneProcess, 1e-12);
        Loop m = Loop.build(T0, T1);
        try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
            for (int run = 0; run < 2; run++) {     // the body's share is registered once, run per iteration
                assertArrayEquals(oneProcess, s.run(List.of(m.h()), Map.of(m.x(), X)).get(0).toDoubleArray(), 0);
            }
            // the master gave task 1 no partition (every top-level node is on task 0): its one graph is the body's
            // share, which task 0 registered
            assertEquals(1, cluster.server(1).worker().registeredGraphs());
        }
        assertEquals(0, cluster.server(1).worker().registeredGraphs(), "closing the session drops the share");
        assertStepsFreed();
    }

    @Test
    void condBranchesOnDifferentTasks() throws Exception {
        Graph g = new Graph();
        Tensor p;
        Tensor x;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device(T0)) {
            p = g.placeholder("p", DType.BOOL, Shape.SCALAR);
            x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
            Tensor w = g.constant("w", W);
            y = Ops.cond(p, () -> {
                try (Graph.ControlScope d1 = Ops.device(T1)) {
                    return Ops.matmul(x, w);
                }
            }, () -> x.mul(2.0));
        }
        try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
            assertArrayEquals(flat(matmul(X, W)), s.run(List.of(y), Map.of(p, true, x, X)).get(0).toDoubleArray(),
                    1e-12);
            assertArrayEquals(new double[] {2, 1, -0.5, 4}, s.run(List.of(y), Map.of(p, false, x, X)).get(0)
                    .toDoubleArray(), 0);
        }
        assertStepsFreed();
    }

    @Test
    void nestedCallsCrossBothWays() throws Exception {
        // outer loop on task 0, 2 times: h = inner(h) + 1; inner loop on task 0 whose body runs on task 1 and calls a
        // cond there whose true branch runs on task 0 again: h = (i == 0 ? h * 2 : h) @ w
        Graph g = new Graph();
        Tensor x;
        Tensor h;
        try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device(T0)) {
            x = g.placeholder("x", DType.FLOAT64, Shape.of(2, 2));
            Tensor w = g.constant("w", W);
            h = Ops.whileLoop(o -> o[0].less(2), o -> {
                Tensor inner = Ops.whileLoop(i -> i[0].less(2), i -> {
                    try (Graph.ControlScope d1 = Ops.device(T1)) {
                        Tensor scaled = Ops.cond(i[0].equal(0), () -> {
                            try (Graph.ControlScope d0 = Ops.device(T0)) {
                                return i[1].mul(2.0);
                            }
                        }, () -> i[1]);
                        return new Tensor[] {i[0].add(1), Ops.matmul(scaled, w)};
                    }
                }, new Tensor[] {Tensors.scalar(0), o[1]})[1];
                return new Tensor[] {o[0].add(1), inner.add(1.0)};
            }, new Tensor[] {Tensors.scalar(0), x})[1];
        }
        double[][] want = X;
        for (int o = 0; o < 2; o++) {
            double[][] doubled = new double[2][2];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) doubled[i][j] = want[i][j] * 2;
            want = matmul(matmul(doubled, W), W);
            for (double[] row : want) for (int j = 0; j < 2; j++) row[j] += 1;
        }
        try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
            assertArrayEquals(flat(want), s.run(List.of(h), Map.of(x, X)).get(0).toDoubleArray(), 1e-12);
        }
        assertStepsFreed();
    }

    @Test
    void theGradientOfALoopWhoseBodyRunsOnAnotherTask() throws Exception {
        double[] expected;
        Loop local = Loop.build("/device:CPU:0", "/device:CPU:1");
        try (ExecutionContext.Scope sc = local.g().asDefault();
             Session s = new Session(local.g(), SessionOptions.defaults().cpuDevices(2))) {
            Tensor dx = Gradients.gradients(List.of(Ops.sum(local.h())), List.of(local.x())).get(0);
            expected = s.run(List.of(dx), Map.of(local.x(), X)).get(0).toDoubleArray();
        }
        Loop m = Loop.build(T0, T1);
        Tensor dx;
        try (ExecutionContext.Scope sc = m.g().asDefault()) {
            dx = Gradients.gradients(List.of(Ops.sum(m.h())), List.of(m.x())).get(0);
        }
        try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
            assertArrayEquals(expected, s.run(List.of(dx), Map.of(m.x(), X)).get(0).toDoubleArray(), 1e-12);
        }
        assertStepsFreed();
    }

    @Test
    void aFailureInTheRemoteBodyFailsTheStepNamingTheTaskAndFunction() throws Exception {
        Graph g = new Graph();
        Tensor i;
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device(T0)) {
            i = g.placeholder("i", DType.INT32, Shape.SCALAR);
            Tensor w = g.constant("w", W);
            y = Ops.whileLoop(v -> v[0].less(2), v -> {
                try (Graph.ControlScope d1 = Ops.device(T1)) {
                    return new Tensor[] {v[0].add(1), Ops.gather(w, i)};
                }
            }, new Tensor[] {Tensors.scalar(0), Ops.constant(new double[] {0, 0})})[1];
        }
        try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
            DistributedException e = assertThrows(DistributedException.class, () -> s.run(List.of(y), Map.of(i, 7)));
            String msg = e.getMessage();
            // the caller's task, the function, the task its failed part ran on, and the node there
            assertTrue(msg.contains("RunGraph failed on task /job:worker/replica:0/task:0"), msg);
            assertTrue(msg.contains("function while_body_") && msg.contains("its part on task "
                    + "/job:worker/replica:0/task:1 failed"), msg);
            assertTrue(msg.contains("in node 'Gather' on /job:worker/replica:0/task:1/device:CPU:0"), msg);
            assertStepsFreed();
            // the session stays usable
            assertArrayEquals(new double[] {0.25, 2}, s.run(List.of(y), Map.of(i, 1)).get(0).toDoubleArray(), 0);
        }
        assertStepsFreed();
    }

    @Test
    @Timeout(10)   // less than the step deadline (20 s): a part left waiting would hold the step until then
    void aFailureOfTheCallersPartAbortsThePartWaitingOnTheOtherTask() throws Exception {
        // per iteration: g = w[k] on task 0 (out of range at k = 2), then task 1 waits for g to compute g * 2
        Graph g = new Graph();
        Tensor y;
        try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device(T0)) {
            Tensor w = g.constant("w", W);
            y = Ops.whileLoop(v -> v[0].less(5), v -> {
                Tensor row = Ops.gather(w, v[0]);
                try (Graph.ControlScope d1 = Ops.device(T1)) {
                    return new Tensor[] {v[0].add(1), row.mul(2.0).add(v[1])};
                }
            }, new Tensor[] {Tensors.scalar(0), Ops.constant(new double[] {0, 0})})[1];
        }
        try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
            DistributedException e = assertThrows(DistributedException.class, () -> s.run(List.of(y)));
            assertTrue(e.getMessage().contains("in node 'Gather' on /job:worker/replica:0/task:0/device:CPU:0"),
                    e.getMessage());
        }
        assertStepsFreed();
    }
}
