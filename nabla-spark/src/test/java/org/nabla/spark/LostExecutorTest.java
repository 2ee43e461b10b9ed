package org.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Model;
import org.nabla.nn.callbacks.Callback;

/**
 * A lost executor, for real: Spark's {@code local-cluster} mode runs a standalone master and worker in this JVM and
 * two executors as JVMs of their own; the executor of worker 1 halts (as {@code kill -9} would end it) in epoch 2 of
 * 3. Spark loses the task, fails and retries the barrier stage on a new executor, and the retry resumes from the
 * chief's checkpoint, ending with the weights of an uninterrupted run.
 *
 * <p>Runs in a Surefire execution of its own (one SparkContext per JVM; see the pom), which sets {@code SPARK_HOME}
 * to a folder this test fills with links to the test class path's jars: the standalone worker starts executors with
 * {@code SPARK_HOME/jars} on their class path, and the module's classes come through
 * {@code spark.executor.extraClassPath}.
 */
@Timeout(600)
class LostExecutorTest {
    /** Halts the executor JVM running partition 1 in the first stage attempt, after its first step of epoch 1. */
    static final class HaltTheExecutor implements Callback {
        private int epoch;

        @Override
        public void onEpochBegin(int e, Map<String, Double> logs) { epoch = e; }

        @Override
        public void onBatchEnd(int batch, Map<String, Double> logs) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            if (ctx.stageAttemptNumber() == 0 && ctx.partitionId() == 1 && epoch == 1) Runtime.getRuntime().halt(137);
        }
    }

    /** SPARK_HOME/jars: links to the jars of this JVM's class path; returns its folders (the module's classes). */
    private static String prepareSparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        StringBuilder dirs = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar")) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, p);
            } else {
                dirs.append(dirs.isEmpty() ? "" : java.io.File.pathSeparator).append(p);
            }
        }
        return dirs.toString();
    }

    @Test
    void trainingSurvivesAnExecutorJvmThatDies(@TempDir Path checkpoints) throws Exception {
        String sparkHome = System.getenv("SPARK_HOME");
        assumeTrue(sparkHome != null && System.getenv("SPARK_SCALA_VERSION") != null,
                "skipped: run by the pom's local-cluster execution, which sets SPARK_HOME and SPARK_SCALA_VERSION");
        String classDirs = prepareSparkHome(Path.of(sparkHome));
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[2,1,1024]")          // 2 executors of 1 core and 1 GiB, JVMs of their own
                .appName("nabla-spark lost executor")
                .config("spark.executor.extraClassPath", classDirs)
                .config("spark.ui.enabled", "false")
                .config("spark.task.maxFailures", "4")
                .getOrCreate();
        try {
            long t0 = System.nanoTime();
            SparkTrainingResult r = SparkTrainer.of(TinyData::model).epochs(3).batchSize(TinyData.GLOBAL_BATCH)
                    .shuffle(false).checkpointDir(checkpoints).stepTimeout(Duration.ofSeconds(60))
                    .callbacks(HaltTheExecutor::new).fit(TinyData.twoPartitions(spark));
            System.out.printf("local-cluster: 3 epochs with an executor JVM halted and a stage retry in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(r.stageAttempt() >= 1, "the stage was retried");
            assertEquals(1, r.initialEpoch(), "the retry resumed after epoch 1's checkpoint");
            assertEquals(2, r.epochs().size());
            Model single = TinyData.model();
            single.fit(TinyData.x(), TinyData.y(), FitOptions.epochs(3).batchSize(TinyData.GLOBAL_BATCH)
                    .shuffle(false).verbose(0));
            List<Tensor> expected = single.getWeights(), got = r.model().getWeights();
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).toFloatArray(), got.get(i).toFloatArray(), 1e-5f, "weight " + i);
            }
        } finally {
            spark.stop();
        }
    }
}
