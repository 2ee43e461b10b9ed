package org.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.Node;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;
import org.nabla.runtime.Variables;

/** Master and workers in one JVM, on loopback ports: graphs across tasks, and the ways a step can fail. */
@Timeout(60)
class DistributedSessionTest {
    private static final DistributedOptions FAST = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(3))
            .stepTimeout(Duration.ofSeconds(20));
    private static final float[][] XS = {{1, -2, 0.5f}, {0.25f, 3, -1}};

    private static List<Tensor> localResult(float[][] xs) {
        Cluster.PingPong m = Cluster.PingPong.local();
        try (Session s = new Session(m.g(), SessionOptions.defaults().cpuDevices(2))) {
            return s.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), xs));
        }
    }

    private static void assertSameValues(List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).shape(), actual.get(i).shape());
            assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i).toFloatArray(), 0f, "fetch " + i);
        }
    }

    @Test
    void aGraphAcrossTwoWorkersGivesTheLocalSessionsResult() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
                assertEquals(List.of("/job:worker/replica:0/task:0/device:CPU:0",
                        "/job:worker/replica:0/task:1/device:CPU:0"), s.devices());
                for (int run = 0; run < 3; run++) {     // the plan is prepared once, the step runs three times
                    assertSameValues(localResult(XS), s.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), XS)));
                }
                float[][] other = {{0, 0, 1}};
                assertSameValues(localResult(other), s.runner().feed(m.x(), other).fetch(m.d()).fetch(m.c())
                        .fetch(m.h()).run());
            }
            assertEquals(0, cluster.server(0).liveSteps());
            assertEquals(0, cluster.server(1).liveSteps());
        }
    }

    @Test
    void aClientReachesTheClusterThroughAnyTasksMaster() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.connect(cluster.server(1).target(), m.g(), FAST)) {
                assertSameValues(localResult(XS), s.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), XS)));
            }
        }
    }

    @Test
    void largeTensorsCrossTasksInChunks() throws IOException {
        DistributedOptions small = FAST.chunkBytes(64 << 10);
        try (Cluster cluster = new Cluster(2, small)) {
            Graph g = new Graph();
            Tensor x;
            Tensor y;
            try (ExecutionContext.Scope s = g.asDefault()) {
                try (Graph.ControlScope d = g.device("/job:worker/task:0")) {
                    x = g.placeholder("x", DType.FLOAT32, Shape.of(-1));
                }
                try (Graph.ControlScope d = g.device("/job:worker/task:1")) {
                    y = Ops.mul(x, 3f);
                }
            }
            float[] big = new float[3_000_000];   // 12 MB: about 180 chunks each way
            for (int i = 0; i < big.length; i++) big[i] = i * 0.5f;
            try (DistributedSession s = DistributedSession.create(cluster.spec, g, small)) {
                float[] out = s.run(List.of(y), Map.of(x, big)).get(0).toFloatArray();
                for (int i = 0; i < big.length; i += 99_991) assertEquals(big[i] * 3f, out[i]);
                assertEquals(big[big.length - 1] * 3f, out[big.length - 1]);
            }
        }
    }

    @Test
    void variablesLiveOnTheirWorkerAndControlEdgesCrossTasks() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Graph g = new Graph();
            Variable counter;
            Tensor increment;
            try (Graph.ControlScope d = g.device("/job:worker/task:1")) {
                counter = Variables.create(g, "counter", 10f);
                increment = Variables.assignAdd(g, counter, 1f);
            }
            Node init = Variables.globalVariablesInitializer(g);   // on task 0: waits for task 1's initializer
            Tensor doubled;
            try (ExecutionContext.Scope s = g.asDefault(); Graph.ControlScope d = g.device("/job:worker/task:0")) {
                doubled = Ops.mul(increment, 2f);
            }
            try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
                s.runner().addTarget(init).run();
                List<Float> seen = new ArrayList<>();
                for (int i = 0; i < 3; i++) seen.add(s.run(doubled).floatValue());
                assertEquals(List.of(22f, 24f, 26f), seen);
                Tensor read;
                try (Graph.ControlScope d = g.device("/job:worker/task:1")) {
                    read = Variables.read(g, counter);   // a node added after the session started
                }
                assertEquals(13f, s.run(read).floatValue());
            }
        }
    }

    @Test
    void aKernelErrorOnOneTaskFailsTheStepNamingTheTaskAndTheOthersAbort() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Graph g = new Graph();
            Tensor a;
            Tensor b;
            Tensor out;
            try (ExecutionContext.Scope s = g.asDefault()) {
                try (Graph.ControlScope d = g.device("/job:worker/task:0")) {
                    a = g.placeholder("a", DType.FLOAT32, Shape.of(-1));
                    b = g.placeholder("b", DType.FLOAT32, Shape.of(-1));
                }
                Tensor bad;
                try (Graph.ControlScope d = g.device("/job:worker/task:1")) {
                    bad = Ops.add(a, b);               // fails at run time when the lengths differ
                }
                try (Graph.ControlScope d = g.device("/job:worker/task:0")) {
                    out = Ops.neg(bad);                // task 0 waits for task 1's value
                }
            }
            try (DistributedSession s = DistributedSession.create(cluster.spec, g, FAST)) {
                long t0 = System.nanoTime();
                DistributedException e = assertThrows(DistributedException.class,
                        () -> s.run(List.of(out), Map.of(a, new float[] {1, 2}, b, new float[] {1, 2, 3})));
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "failed fast, not at the deadline");
                assertTrue(e.getMessage().contains("/job:worker/replica:0/task:1"), e.getMessage());
                assertTrue(e.getMessage().contains("in node 'Add'"), e.getMessage());
                assertTrue(e.getMessage().contains("cannot be broadcast"), e.getMessage());
                // the session still works, and nothing of the failed step is left on the workers
                assertArrayEquals(new float[] {-2, -4}, s.run(List.of(out), Map.of(a, new float[] {1, 2},
                        b, new float[] {1, 2})).get(0).toFloatArray());
            }
            assertEquals(0, cluster.server(0).liveSteps());
            assertEquals(0, cluster.server(1).liveSteps());
        }
    }

    @Test
    void aMissingFeedIsTheClientsError() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.run(m.d()));
                assertTrue(e.getMessage().startsWith("Session.run: missing feed for placeholder 'x'"), e.getMessage());
            }
        }
    }

    @Test
    void aTaskThatIsDownFailsNamingItWithinTheDeadline() throws IOException {
        try (Cluster one = new Cluster(1, FAST)) {
            int dead = Cluster.freePort();
            ClusterSpec spec = ClusterSpec.of(Map.of("worker", List.of(one.spec.address("worker", 0),
                    "localhost:" + dead)));
            long t0 = System.nanoTime();
            DistributedException e = assertThrows(DistributedException.class,
                    () -> DistributedSession.create(spec, Cluster.PingPong.acrossWorkers().g(), FAST));
            assertTrue(System.nanoTime() - t0 < FAST.rpcTimeout().toNanos(), "within the RPC deadline");
            assertTrue(e.getMessage().startsWith("task /job:worker/replica:0/task:1 (localhost:" + dead
                    + ") is unreachable (GetStatus): UNAVAILABLE"), e.getMessage());
        }
    }

    @Test
    void aTaskThatNeverAnswersFailsAtTheDeadline() throws IOException {
        // a socket that accepts connections and never speaks: the call can only end by its deadline
        try (ServerSocket silent = new ServerSocket(0); Cluster one = new Cluster(1, FAST)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) accepted.add(silent.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            ClusterSpec spec = ClusterSpec.of(Map.of("worker", List.of(one.spec.address("worker", 0),
                    "localhost:" + silent.getLocalPort())));
            DistributedOptions quick = FAST.rpcTimeout(Duration.ofMillis(700));
            long t0 = System.nanoTime();
            DistributedException e = assertThrows(DistributedException.class,
                    () -> DistributedSession.create(spec, Cluster.PingPong.acrossWorkers().g(), quick));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 600 && ms < 3000, "ended by the 700 ms deadline, took " + ms + " ms");
            assertTrue(e.getMessage().startsWith("task /job:worker/replica:0/task:1 (localhost:"
                    + silent.getLocalPort() + ") did not answer GetStatus in time: DEADLINE_EXCEEDED"),
                    e.getMessage());
            acceptor.interrupt();
            for (Socket s : accepted) s.close();
        }
    }

    @Test
    void aWorkerThatStopsBetweenStepsFailsTheNextStepNamingIt() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
                assertSameValues(localResult(XS), s.run(List.of(m.d(), m.c(), m.h()), Map.of(m.x(), XS)));
                cluster.server(1).close();
                long t0 = System.nanoTime();
                DistributedException e = assertThrows(DistributedException.class,
                        () -> s.run(List.of(m.d()), Map.of(m.x(), XS)));
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "within seconds");
                assertTrue(e.getMessage().contains("task /job:worker/replica:0/task:1 (" + cluster.spec.address(
                        "worker", 1) + ")"), e.getMessage());
                assertEquals(0, cluster.server(0).liveSteps());
            }
        }
    }

    @Test
    void aRestartedWorkerIsNeverTakenForItsOldSelf() throws IOException {
        try (Cluster cluster = new Cluster(2, FAST)) {
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.create(cluster.spec, m.g(), FAST)) {
                s.run(List.of(m.d()), Map.of(m.x(), XS));
                long old = cluster.server(1).incarnation();
                cluster.server(1).close();
                try (Server again = Server.start(new Server.Config(cluster.spec, "worker", 1, -1, 1, FAST))) {
                    assertTrue(again.incarnation() != old);
                    DistributedException e = assertThrows(DistributedException.class,
                            () -> s.run(List.of(m.d()), Map.of(m.x(), XS)));
                    assertTrue(e.getMessage().contains("the task restarted since the master saw it"),
                            e.getMessage());
                    assertTrue(e.getMessage().contains("/job:worker/replica:0/task:1"), e.getMessage());
                }
            }
        }
    }
}
