package org.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Model;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.saving.CheckpointManager;

/**
 * Two barrier tasks on local Spark train the tiny MLP as one process would on the global batches, and a barrier
 * stage that loses a task mid-training is retried by Spark and resumes from the chief's checkpoint.
 */
@Timeout(300)
class SparkTrainerTest {
    private static final float TOLERANCE = 1e-5f;

    /** The weights of one process fitting the tiny data in order, {@code epochs} epochs of global batches. */
    private static List<Tensor> singleProcess(int epochs) {
        Model m = TinyData.model();
        m.fit(TinyData.x(), TinyData.y(), FitOptions.epochs(epochs).batchSize(TinyData.GLOBAL_BATCH).shuffle(false)
                .verbose(0));
        return m.getWeights();
    }

    private static void assertSameWeights(List<Tensor> expected, Model actual) {
        List<Tensor> got = actual.getWeights();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).toFloatArray(), got.get(i).toFloatArray(), TOLERANCE, "weight " + i);
        }
    }

    @Test
    void twoBarrierTasksMatchOneProcessOnTheGlobalBatch() {
        Dataset<Row> df = TinyData.twoPartitions(LocalSpark.session());
        long t0 = System.nanoTime();
        SparkTrainingResult r = SparkTrainer.of(TinyData::model).epochs(2).batchSize(TinyData.GLOBAL_BATCH)
                .shuffle(false).fit(df);
        System.out.printf("2 barrier tasks trained 2 epochs in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals(0, r.initialEpoch());
        assertEquals(0, r.stageAttempt());
        assertEquals(2, r.epochs().size());
        assertTrue(r.last("loss") > 0);
        assertSameWeights(singleProcess(2), r.model());
    }

    /** Fails partition 1 of the first stage attempt after its first step of epoch 1 (epoch 0's checkpoint is written). */
    static final class LoseAWorker implements Callback {
        private int epoch;

        @Override
        public void onEpochBegin(int e, Map<String, Double> logs) { epoch = e; }

        @Override
        public void onBatchEnd(int batch, Map<String, Double> logs) {
            // The step just made included an all-reduce with the chief, which joins only after saving its checkpoint
            BarrierTaskContext ctx = BarrierTaskContext.get();
            if (ctx.stageAttemptNumber() == 0 && ctx.partitionId() == 1 && epoch == 1) {
                throw new IllegalStateException("injected failure: worker 1 lost in epoch 1");
            }
        }
    }

    @Test
    void aFailedBarrierStageIsRetriedAndResumesFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Dataset<Row> df = TinyData.twoPartitions(LocalSpark.session());
        long t0 = System.nanoTime();
        SparkTrainingResult r = SparkTrainer.of(TinyData::model).epochs(3).batchSize(TinyData.GLOBAL_BATCH)
                .shuffle(false).checkpointDir(dir).stepTimeout(Duration.ofSeconds(60))
                .callbacks(LoseAWorker::new).fit(df);
        System.out.printf("3 epochs with a lost worker and a stage retry in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals(1, r.stageAttempt(), "the stage was retried once");
        assertEquals(1, r.initialEpoch(), "the retry resumed after epoch 1's checkpoint");
        assertEquals(2, r.epochs().size(), "the retry trained epochs 2 and 3");
        // Resuming restores weights, optimizer slots and step counter: the same weights as an uninterrupted run
        assertSameWeights(singleProcess(3), r.model());
        assertEquals(3L, new CheckpointManager(dir, 2).latestStep().orElseThrow());
        assertTrue(Files.exists(dir.resolve(CheckpointManager.INDEX)));
    }
}
