package org.nabla.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * Slow tasks and lost connections, made by a {@link FaultInjector} on a task's server: a task slower than usual but
 * within the step deadline still gives the right result; one slower than the deadline fails the step naming it; a
 * dropped RunGraph, a dropped RecvTensor, a RecvTensor cut mid-stream and a dropped all-reduce chunk fail their step
 * (or collective) with an error naming the task, the next one succeeds, and no task keeps any of the failed step's
 * state.
 */
@Timeout(60)
class FaultToleranceTest {
    private static final String RUN_GRAPH = "nabla.distributed.WorkerService/RunGraph";
    private static final String RECV_TENSOR = "nabla.distributed.WorkerService/RecvTensor";
    private static final String SEND_CHUNK = "nabla.distributed.CollectiveService/SendChunk";
    /** Small chunks, so the tensors below stream in several. */
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(20)).chunkBytes(1024);

    /** 200 rows: x, h and c cross between the tasks in 3 chunks each. */
    private static final float[][] XS = new float[200][3];

    static {
        for (int i = 0; i < XS.length; i++) XS[i] = new float[] {i * 0.01f, 1 - i * 0.02f, 0.5f};
    }

    private static float[] localD() {
        Cluster.PingPong m = Cluster.PingPong.local();
        try (Session s = new Session(m.g(), SessionOptions.defaults().cpuDevices(2))) {
            return s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray();
        }
    }

    /** Two tasks, each with its own injector. */
    private record Faulty(Cluster cluster, FaultInjector[] injectors) implements AutoCloseable {
        static Faulty start(DistributedOptions options) throws IOException {
            FaultInjector[] f = {new FaultInjector(), new FaultInjector()};
            return new Faulty(new Cluster(2, options, i -> List.of(f[i])), f);
        }

        FaultInjector on(int task) { return injectors[task]; }

        @Override public void close() { cluster.close(); }
    }

    /** Waits (at most 10 s) until {@code count} is 0: a late call of a slow task may still be finishing. */
    private static void eventuallyZero(IntSupplier count, String what) throws InterruptedException {
        for (int i = 0; i < 200 && count.getAsInt() != 0; i++) Thread.sleep(50);
        assertEquals(0, count.getAsInt(), what);
    }

    private static void nothingLeft(Cluster c) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            Server s = c.server(i);
            eventuallyZero(s::liveSteps, "steps left on task " + i);
            eventuallyZero(s::pendingCollectiveChunks, "collective chunks left on task " + i);
        }
    }

    private static final String TASK1 = "task /job:worker/replica:0/task:1";

    @Test
    void aSlowTaskWithinTheDeadlineGivesTheRightResult() throws Exception {
        try (Faulty f = Faulty.start(OPTIONS)) {
            f.on(1).delay(RUN_GRAPH, Duration.ofMillis(300)).delay(RECV_TENSOR, Duration.ofMillis(100));
            Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
            try (DistributedSession s = DistributedSession.create(f.cluster().spec, m.g(), OPTIONS)) {
                assertArrayEquals(localD(), s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray(), 0f);
            }
            assertTrue(f.on(1).hits(RUN_GRAPH) > 0 && f.on(1).hits(RECV_TENSOR) > 0, "the task was slowed");
            nothingLeft(f.cluster());
        }
    }

    @Test
    void aTaskSlowerThanTheStepDeadlineFailsTheStepNamingItAndTheNextStepRuns() throws Exception {
        DistributedOptions quick = OPTIONS.stepTimeout(Duration.ofMillis(1500));
        try (Faulty f = Faulty.start(OPTIONS)) {
            // independent parts on each task, so only task 1 can be late
            Graph g = new Graph();
            Tensor x;
            Tensor a;
            Tensor b;
            try (ExecutionContext.Scope scope = g.asDefault()) {
                x = g.placeholder("x", DType.FLOAT32, Shape.of(-1));
                try (Graph.ControlScope t = g.device("/job:worker/task:0")) {
                    a = Ops.mul(x, 2f);
                }
                try (Graph.ControlScope t = g.device("/job:worker/task:1")) {
                    b = Ops.add(g.constant("one", new float[] {1, 1}), 1f);
                }
            }
            Map<Tensor, ?> feed = Map.of(x, new float[] {1, 2});
            // the steps that must succeed get the usual deadline: a loaded machine must not fail them
            try (DistributedSession usual = DistributedSession.create(f.cluster().spec, g, OPTIONS);
                 DistributedSession hurried = DistributedSession.create(f.cluster().spec, g, quick)) {
                usual.run(List.of(a, b), feed);
                f.on(1).delay(RUN_GRAPH, Duration.ofSeconds(30));
                DistributedException e = assertThrows(DistributedException.class,
                        () -> hurried.run(List.of(a, b), feed));
                assertTrue(e.getMessage().contains(TASK1 + " (" + f.cluster().spec.address("worker", 1)
                        + ") did not answer RunGraph in time"), e.getMessage());
                f.on(1).clear();   // the held RunGraph now arrives, after its step was cleaned up
                List<Tensor> ok = usual.run(List.of(a, b), feed);
                assertArrayEquals(new float[] {2, 4}, ok.get(0).toFloatArray(), 0f);
                assertArrayEquals(new float[] {2, 2}, ok.get(1).toFloatArray(), 0f);
            }
            nothingLeft(f.cluster());
        }
    }

    /** A step with {@code fault} armed fails with a message containing {@code expected}; the next one runs. */
    private static void failsOnceThenRuns(Faulty f, Runnable fault, String method, int task, String... expected)
            throws Exception {
        Cluster.PingPong m = Cluster.PingPong.acrossWorkers();
        try (DistributedSession s = DistributedSession.create(f.cluster().spec, m.g(), OPTIONS)) {
            assertArrayEquals(localD(), s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray(), 0f);
            fault.run();
            DistributedException e = assertThrows(DistributedException.class,
                    () -> s.run(List.of(m.d()), Map.of(m.x(), XS)));
            assertEquals(1, f.on(task).hits(method), "the fault happened once");
            for (String x : expected) assertTrue(e.getMessage().contains(x), x + " in: " + e.getMessage());
            nothingLeft(f.cluster());
            assertArrayEquals(localD(), s.run(List.of(m.d()), Map.of(m.x(), XS)).get(0).toFloatArray(), 0f);
        }
        nothingLeft(f.cluster());
    }

    @Test
    void aDroppedRunGraphFailsTheStepNamingTheTaskAndTheNextStepRuns() throws Exception {
        try (Faulty f = Faulty.start(OPTIONS)) {
            failsOnceThenRuns(f, () -> f.on(1).drop(RUN_GRAPH, 1), RUN_GRAPH, 1,
                    TASK1 + " (" + f.cluster().spec.address("worker", 1) + ") is unreachable (RunGraph): UNAVAILABLE",
                    "injected fault");
        }
    }

    @Test
    void aDroppedOrCutRecvTensorFailsTheStepNamingTheProducerAndTheNextStepRuns() throws Exception {
        try (Faulty f = Faulty.start(OPTIONS)) {
            // task 0 pulls h from task 1
            failsOnceThenRuns(f, () -> f.on(1).drop(RECV_TENSOR, 1), RECV_TENSOR, 1,
                    "RecvTensor of", "from " + TASK1 + " at " + f.cluster().spec.address("worker", 1)
                            + " failed: UNAVAILABLE: injected fault");
            // task 1 pulls x and c from task 0: the first pull loses its connection after one chunk
            failsOnceThenRuns(f, () -> f.on(0).cut(RECV_TENSOR, 1), RECV_TENSOR, 0,
                    "RecvTensor of", "from task /job:worker/replica:0/task:0 at "
                            + f.cluster().spec.address("worker", 0) + " failed: UNAVAILABLE: injected fault", "cut");
        }
    }

    @Test
    void aDroppedAllReduceChunkFailsTheCollectiveOnEveryTaskAndTheNextOneRuns() throws Exception {
        DistributedOptions grpc = OPTIONS.ringSockets(false);
        try (Faulty f = Faulty.start(grpc)) {
            f.on(1).drop(SEND_CHUNK, 1);
            var a = CompletableFuture.supplyAsync(() -> f.cluster().server(0).collectives().allReduce("lost",
                    List.of(Tensors.of(new float[] {1, 2, 3}, 3))));
            var b = CompletableFuture.supplyAsync(() -> f.cluster().server(1).collectives().allReduce("lost",
                    List.of(Tensors.of(new float[] {10, 20, 30}, 3))));
            for (var r : List.of(a, b)) {
                Throwable e = assertThrows(Exception.class, () -> r.get(20, TimeUnit.SECONDS)).getCause();
                assertTrue(e instanceof DistributedException, String.valueOf(e));
                assertTrue(e.getMessage().contains(TASK1 + " (" + f.cluster().spec.address("worker", 1)
                        + ") is unreachable (SendChunk): UNAVAILABLE"), e.getMessage());
            }
            var c = CompletableFuture.supplyAsync(() -> f.cluster().server(0).collectives().allReduce("next",
                    List.of(Tensors.of(new float[] {1, 2, 3}, 3))));
            var d = CompletableFuture.supplyAsync(() -> f.cluster().server(1).collectives().allReduce("next",
                    List.of(Tensors.of(new float[] {10, 20, 30}, 3))));
            assertArrayEquals(new float[] {11, 22, 33}, c.get(20, TimeUnit.SECONDS).get(0).toFloatArray(), 0f);
            assertArrayEquals(new float[] {11, 22, 33}, d.get(20, TimeUnit.SECONDS).get(0).toFloatArray(), 0f);
            nothingLeft(f.cluster());
        }
    }
}
