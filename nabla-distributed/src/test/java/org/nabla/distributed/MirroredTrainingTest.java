package org.nabla.distributed;

import org.nabla.distributed.collective.CollectiveGroup;
import org.nabla.distributed.strategy.MultiWorkerMirroredStrategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensors;

/**
 * Synchronous data-parallel training ({@link MultiWorkerMirroredStrategy}), in a custom loop and through
 * {@code Model.fit} (its steps traced, and eager): replicas training on their shards of each global batch end with the weights of one process
 * training on the global batches.
 */
@Timeout(120)
class MirroredTrainingTest {
    private static final float TOLERANCE = 1e-5f;

    private static void assertSameWeights(List<float[]> expected, List<float[]> actual, String who) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), TOLERANCE, who);
    }

    @Test
    void twoWorkerProcessesMatchOneProcessOnTheGlobalBatch(@TempDir Path dir) throws Exception {
        List<float[]> expected = MirroredTraining.train(null);
        int p0 = Cluster.freePort();
        int p1 = Cluster.freePort();
        Path clusterFile = dir.resolve("cluster.json");
        Files.writeString(clusterFile, "{\"cluster\": {\"worker\": [\"localhost:" + p0 + "\", \"localhost:" + p1
                + "\"]}}");
        List<MultiProcessTest.Task> tasks = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                tasks.add(MultiProcessTest.startJava(MirroredTraining.class.getName(), List.of(clusterFile.toString(),
                        String.valueOf(i), dir.resolve("weights" + i + ".txt").toString()), "replica " + i));
            }
            for (MultiProcessTest.Task t : tasks) {
                assertTrue(t.process().waitFor(60, TimeUnit.SECONDS), "the replica finished: " + t.output());
                assertEquals(0, t.process().exitValue(), "replica exit status; output: " + t.output());
            }
            System.out.printf("two replica JVMs trained in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            List<float[]> expectedFit = MirroredTraining.fit(null, false);
            for (int i = 0; i < 2; i++) {
                assertSameWeights(expected, read(dir.resolve("weights" + i + ".txt.loop")), "custom loop, replica " + i);
                assertSameWeights(expectedFit, read(dir.resolve("weights" + i + ".txt.fit")), "fit, replica " + i);
            }
        } finally {
            for (MultiProcessTest.Task t : tasks) MultiProcessTest.kill(t);
        }
    }

    private static List<float[]> read(Path file) throws java.io.IOException {
        List<float[]> got = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split(" ");
            float[] w = new float[parts.length];
            for (int j = 0; j < w.length; j++) w[j] = Float.parseFloat(parts[j]);
            got.add(w);
        }
        return got;
    }

    @Test
    void threeReplicasInOneJvmMatchOneProcess() throws Exception {
        List<float[]> expected = MirroredTraining.train(null);
        DistributedOptions options = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
                .stepTimeout(Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Cluster c = new Cluster(3, options)) {
            List<Future<List<float[]>>> fs = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Server s = c.server(r);
                fs.add(pool.submit(() -> MirroredTraining.train(MultiWorkerMirroredStrategy.of(s))));
            }
            for (int r = 0; r < 3; r++) assertSameWeights(expected, fs.get(r).get(60, TimeUnit.SECONDS), "replica " + r);
            List<float[]> expectedFit = MirroredTraining.fit(null, false);
            assertSameWeights(expectedFit, MirroredTraining.fit(null, true), "fit alone, eager vs traced");
            // traced and eager (the eager steps reduce packs as the tape finishes them), each with one all-reduce
            // op and with one op per gradient (64-byte packs)
            long[] packs = {CollectiveGroup.DEFAULT_BUCKET_BYTES, 64, CollectiveGroup.DEFAULT_BUCKET_BYTES, 64};
            for (int run = 0; run < 4; run++) {
                boolean eager = run >= 2;
                long packBytes = packs[run];
                fs.clear();
                for (int r = 0; r < 3; r++) {
                    Server s = c.server(r);
                    fs.add(pool.submit(() -> MirroredTraining.fit(MultiWorkerMirroredStrategy.of(s)
                            .withPackBytes(packBytes), eager)));
                }
                for (int r = 0; r < 3; r++) {
                    assertSameWeights(expectedFit, fs.get(r).get(60, TimeUnit.SECONDS), "fit " + (eager ? "eager"
                            : "traced") + ", packs of " + packBytes + " bytes, replica " + r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shardsSplitRowsEvenlyAndCoverTheBatch() throws Exception {
        try (Cluster c = new Cluster(3, DistributedOptions.defaults())) {
            float[] all = {0, 1, 2, 3, 4, 5, 6};
            int[] rows = {2, 2, 3};
            float next = 0;
            for (int r = 0; r < 3; r++) {
                var s = MultiWorkerMirroredStrategy.of(c.server(r)).shard(Tensors.of(all, 7, 1))[0];
                assertEquals(rows[r], s.shape().dim(0));
                for (float v : s.toFloatArray()) assertEquals(next++, v);
            }
        }
    }
}
