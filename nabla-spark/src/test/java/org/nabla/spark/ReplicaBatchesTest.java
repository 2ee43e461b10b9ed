package org.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** How a worker's partition becomes the batches its replica of the strategy trains on. */
class ReplicaBatchesTest {
    /** {@code rows} examples of 2 features: example i is (i, -i), label i. */
    private static PartitionData data(int rows) {
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new PartitionData(Tensors.of(x, rows, 2), Tensors.of(y, rows));
    }

    @Test
    void localBatchesAreTheStrategysShardsOfTheGlobalBatch() {
        assertEquals(7, ReplicaBatches.localBatch(15, 0, 2));
        assertEquals(8, ReplicaBatches.localBatch(15, 1, 2));
        for (int n = 1; n <= 5; n++) {
            for (int b = n; b <= 40; b++) {
                int sum = 0;
                for (int r = 0; r < n; r++) sum += ReplicaBatches.localBatch(b, r, n);
                assertEquals(b, sum, "B=" + b + ", n=" + n);
            }
        }
    }

    @Test
    void everyReplicaMakesTheStepsOfTheOneThatRunsOutFirst() {
        assertEquals(4, ReplicaBatches.stepsPerEpoch(new int[] {28, 32}, 15));
        assertEquals(3, ReplicaBatches.stepsPerEpoch(new int[] {10, 30}, 8));   // 4 rows a step: ceil(10 / 4)
        assertEquals(2, ReplicaBatches.stepsPerEpoch(new int[] {100, 15}, 15)); // replica 1 takes 8 a step
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplicaBatches.stepsPerEpoch(new int[] {5, 0}, 4));
        assertTrue(e.getMessage().contains("partition 1 holds no rows"), e.getMessage());
    }

    @Test
    void aBatchHoldsThisReplicasRowsAtItsSliceOfTheGlobalBatch() {
        // replica 1 of 2, 10 rows here, 4 on replica 0, global batch 6: 3 rows a step, steps = min(ceil(4/3), ceil(10/3)) = 2
        ReplicaBatches batches = new ReplicaBatches(data(10), 1, 2, 6, new int[] {4, 10}, false, 0);
        assertEquals(2, batches.steps());
        List<Tensor[]> epoch = new ArrayList<>();
        batches.forEach(epoch::add);
        assertEquals(2, epoch.size());
        Tensor x = epoch.get(0)[0], y = epoch.get(0)[1];
        assertEquals(Shape.of(6, 2), x.shape());
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 2, -2}, x.toFloatArray());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 2}, y.toIntArray());
        assertArrayEquals(new int[] {0, 0, 0, 3, 4, 5}, epoch.get(1)[1].toIntArray());
    }

    @Test
    void aShortLastStepShrinksTheGlobalBatchSoTheSliceStillFits() {
        // 5 rows on each replica, 2 a step: steps 0, 1 take 2 rows, step 2 takes the last one
        ReplicaBatches batches = new ReplicaBatches(data(5), 0, 2, 4, new int[] {5, 5}, false, 0);
        List<Tensor[]> epoch = new ArrayList<>();
        batches.forEach(epoch::add);
        assertEquals(3, epoch.size());
        assertArrayEquals(new int[] {4, 0}, epoch.get(2)[1].toIntArray());
    }

    @Test
    void shufflingGivesEachEpochAnotherPermutationOfTheRows() {
        ReplicaBatches batches = new ReplicaBatches(data(12), 0, 2, 8, new int[] {12, 12}, true, 5);
        int[] first = labelsOfEpoch(batches), second = labelsOfEpoch(batches);
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, sorted);
        ReplicaBatches resumed = new ReplicaBatches(data(12), 0, 2, 8, new int[] {12, 12}, true, 5).startAtEpoch(1);
        assertArrayEquals(second, labelsOfEpoch(resumed), "a resumed run continues with the epoch's order");
    }

    /** Replica 0's labels of one epoch (its slice is the first half of each global batch). */
    private static int[] labelsOfEpoch(ReplicaBatches batches) {
        List<Integer> out = new ArrayList<>();
        for (Tensor[] b : batches) {
            int[] y = b[1].toIntArray();
            for (int i = 0; i < y.length / 2; i++) out.add(y[i]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aGlobalBatchSmallerThanTheWorkersIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReplicaBatches(data(4), 0, 3, 2, new int[] {4, 4, 4}, false, 0));
        assertTrue(e.getMessage().contains("global batch (2) is smaller than the number of workers (3)"),
                e.getMessage());
    }
}
