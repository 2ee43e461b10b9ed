package org.nabla.distributed.collective;

import org.nabla.distributed.Cluster;
import org.nabla.distributed.DistributedException;
import org.nabla.distributed.DistributedOptions;
import org.nabla.distributed.Server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Ring all-reduce among 2-4 in-process servers on loopback, against a plain sum, over the ring sockets
 * ({@link CollectiveGroupGrpcTest} runs the same over gRPC SendChunk).
 */
@Timeout(120)
class CollectiveGroupTest {
    private static final DistributedOptions OPTIONS = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
            .stepTimeout(Duration.ofSeconds(20));

    /** The options of every cluster here. */
    DistributedOptions options() { return OPTIONS; }

    /** How a failed send names the transport in its error. */
    String sendCall() { return "(ring socket)"; }

    /** Inputs of task r: float32 tensors of these shapes and one float64. */
    private static List<Tensor> inputs(int r, int[][] shapes) {
        Random rnd = new Random(100 + r);
        List<Tensor> out = new ArrayList<>();
        for (int[] shape : shapes) {
            int n = 1;
            for (int d : shape) n *= d;
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = rnd.nextInt(1000) / 8f;   // exact in float32 sums
            out.add(Tensors.of(v, shape));
        }
        out.add(Tensors.of(new double[] {r + 0.5, -r, 1e-3 * r}, 3));
        return out;
    }

    /** Runs {@code body(rank)} on every task at once and returns the results by rank. */
    private static <T> List<T> onAll(int n, IntFunction<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> body.apply(rank)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void checkSum(int n, int[][] shapes, long bucketBytes) throws Exception {
        checkSum(n, shapes, bucketBytes, options());
    }

    private void checkSum(int n, int[][] shapes, long bucketBytes, DistributedOptions options) throws Exception {
        try (Cluster c = new Cluster(n, options)) {
            List<List<Tensor>> results = onAll(n, r -> c.server(r).collectives().withBucketBytes(bucketBytes)
                    .allReduce("k", inputs(r, shapes)));
            for (int i = 0; i <= shapes.length; i++) {
                Tensor first = inputs(0, shapes).get(i);
                if (first.dtype() == DType.FLOAT32) {
                    float[] expected = new float[(int) first.size()];
                    for (int r = 0; r < n; r++) {
                        float[] v = inputs(r, shapes).get(i).toFloatArray();
                        for (int j = 0; j < v.length; j++) expected[j] += v[j];
                    }
                    for (int r = 0; r < n; r++) {
                        Tensor got = results.get(r).get(i);
                        assertEquals(first.shape(), got.shape());
                        assertArrayEquals(expected, got.toFloatArray(), 0f, "tensor " + i + " on rank " + r);
                    }
                } else {
                    double[] expected = new double[(int) first.size()];
                    for (int r = 0; r < n; r++) {
                        double[] v = inputs(r, shapes).get(i).toDoubleArray();
                        for (int j = 0; j < v.length; j++) expected[j] += v[j];
                    }
                    for (int r = 0; r < n; r++) {
                        assertArrayEquals(expected, results.get(r).get(i).toDoubleArray(), 1e-12);
                    }
                }
            }
            for (Server s : c.servers) assertEquals(0, s.pendingCollectiveChunks());
        }
    }

    @Test
    void threeTasksSumTensorsOfAwkwardSizes() throws Exception {
        checkSum(3, new int[][] {{7}, {1}, {}, {2, 5}, {1000}}, CollectiveGroup.DEFAULT_BUCKET_BYTES);
    }

    @Test
    void fourTasksWithSmallBucketsSplitTensorsAcrossBuckets() throws Exception {
        checkSum(4, new int[][] {{1}, {3001}, {2}, {513, 3}}, 1024);
    }

    @Test
    void chunksTravelInPieces() throws Exception {
        checkSum(3, new int[][] {{10_007}, {5}}, 16 << 10, options().chunkBytes(1024));
    }

    /** A lone tensor's array is read in place (not copied first): it must come out unchanged, the sum elsewhere. */
    @Test
    void aLoneTensorIsReadNotWritten() throws Exception {
        int n = 3;
        int size = 5_003;
        try (Cluster c = new Cluster(n, options().chunkBytes(1024))) {
            List<float[]> inputs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                float[] v = new float[size];
                for (int j = 0; j < size; j++) v[j] = r * 1000 + j % 97;
                inputs.add(v);
            }
            List<Tensor> tensors = new ArrayList<>();
            for (float[] v : inputs) tensors.add(Tensors.of(v, size));
            List<Tensor> sums = onAll(n, r -> c.server(r).collectives().withBucketBytes(4096)
                    .allReduce("lone", List.of(tensors.get(r))).get(0));
            float[] expected = new float[size];
            for (float[] v : inputs) for (int j = 0; j < size; j++) expected[j] += v[j];
            for (int r = 0; r < n; r++) {
                assertArrayEquals(expected, sums.get(r).toFloatArray(), 0f, "sum on rank " + r);
                assertArrayEquals(inputs.get(r), tensors.get(r).toFloatArray(), 0f, "input of rank " + r);
            }
        }
    }

    @Test
    void tinyTensorsWithMoreTasksThanElements() throws Exception {
        checkSum(4, new int[][] {{1}, {2}}, CollectiveGroup.DEFAULT_BUCKET_BYTES);
    }

    @Test
    void aTensorOfMoreThanTenMegabytes() throws Exception {
        checkSum(3, new int[][] {{3, 1_000_003}}, CollectiveGroup.DEFAULT_BUCKET_BYTES);
    }

    @Test
    void concurrentCollectivesWithDifferentKeysDoNotMix() throws Exception {
        try (Cluster c = new Cluster(3, options())) {
            List<List<Tensor>> results = onAll(6, i -> {
                int rank = i % 3;
                String key = i < 3 ? "a" : "b";
                float v = (i < 3 ? 1 : 100) * (rank + 1);
                return c.server(rank).collectives().allReduce(key, List.of(Tensors.of(new float[] {v, v, v, v}, 4)));
            });
            for (int i = 0; i < 6; i++) {
                float expected = i < 3 ? 6 : 600;
                assertArrayEquals(new float[] {expected, expected, expected, expected},
                        results.get(i).get(0).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void withTwoTasksTheOneLeftFailsAtOnceNamingThePeer() throws Exception {
        try (Cluster c = new Cluster(2, options())) {
            int port1 = c.server(1).port();
            c.server(1).close();
            long t0 = System.nanoTime();
            DistributedException e = assertThrows(DistributedException.class,
                    () -> c.server(0).collectives().allReduce(List.of(Tensors.of(new float[] {1, 2, 3}, 3))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 5_000, "failed within seconds, took " + ms + " ms");
            assertTrue(e.getMessage().contains("task /job:worker/replica:0/task:1 (localhost:" + port1 + ") is "
                    + "unreachable " + sendCall()), e.getMessage());
        }
    }

    @Test
    void aTaskThatIsDownIsNamed() throws Exception {
        try (Cluster c = new Cluster(3, options())) {
            int port2 = c.server(2).port();
            c.server(2).close();
            long t0 = System.nanoTime();
            List<String> errors = onAll(2, r -> {
                try {
                    c.server(r).collectives().allReduce("k", List.of(Tensors.of(new float[] {1, 2, 3}, 3)));
                    return "no error";
                } catch (DistributedException e) {
                    return e.getMessage();
                }
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "failed within seconds, took " + ms + " ms");
            for (String e : errors) {
                assertTrue(e.contains("task /job:worker/replica:0/task:2 (localhost:" + port2 + ")"), e);
            }
            assertTrue(errors.get(1).contains("is unreachable " + sendCall()), errors.get(1));
        }
    }

    @Test
    void aWaitEndsWhenItsServerStops() throws Exception {
        try (Cluster c = new Cluster(2, options())) {
            var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> assertThrows(
                    DistributedException.class, () -> c.server(0).collectives().allReduce("k",
                            List.of(Tensors.of(new float[] {1, 2}, 2)))));
            Thread.sleep(300);                 // task 0 sent its chunk and waits for task 1's, which never comes
            c.server(0).close();
            DistributedException e = waiting.get(5, TimeUnit.SECONDS);
            assertTrue(e.getMessage().contains("/job:worker/replica:0/task:0 stopped"), e.getMessage());
        }
    }

    @Test
    void refusesIntegerTensors() throws Exception {
        try (Cluster c = new Cluster(1, options())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.server(0).collectives().allReduce(List.of(Tensors.of(new int[] {1}, 1))));
            assertTrue(e.getMessage().contains("only float32 and float64"), e.getMessage());
        }
    }

    @Test
    void theBenchmarkRunsOnATinyCase() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        List<AllReduceBenchmark.Result> r = AllReduceBenchmark.run(new int[] {2}, new long[] {1 << 16}, 1, 0,
                new java.io.PrintStream(out, true));
        assertEquals(1, r.size());
        assertTrue(r.get(0).busGBs() > 0 && r.get(0).tcpGBs() > 0, r.toString());
        assertTrue(out.toString().contains("| 2 | 0 MB |"), out.toString());
    }
}
