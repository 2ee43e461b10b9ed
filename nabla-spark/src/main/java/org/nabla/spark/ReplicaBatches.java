package org.nabla.spark;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * One replica's epochs of batches for {@code Model.fit} with a {@code MultiWorkerMirroredStrategy}: every replica
 * makes the same number of steps per epoch, each step taking its next {@code localBatch} rows of its own partition
 * (shuffled per epoch), so the step's global batch is the union of the replicas' rows.
 *
 * <p>The strategy's contract is that of a global batch of B rows, replica r trains on rows [r*B/n, (r+1)*B/n). A
 * Spark task holds only its own rows, so each batch handed to fit is a global batch of {@code n * c} rows whose
 * slice [r*c, (r+1)*c) holds this replica's c rows and whose other rows are zeros the strategy never reads. This
 * keeps the training on the strategy's public API; the cost is a batch buffer n times the local batch.
 *
 * <p>Steps per epoch: the fewest of {@code ceil(rows_r / localBatch_r)} over the replicas r (the row counts are
 * agreed by all tasks before training), so no replica runs out of rows; the last step of an epoch may be short, and
 * rows a larger partition holds beyond the steps are left out of that epoch (with shuffling, other rows each epoch).
 */
final class ReplicaBatches implements Iterable<Tensor[]> {
    private final float[] xs;
    private final int[] intYs;
    private final float[] floatYs;
    private final int[] exampleShape;
    private final int width;
    private final int rows;
    private final int replica;
    private final int replicas;
    private final int localBatch;
    private final int steps;
    private final boolean shuffle;
    private final long seed;
    private int epoch;

    /**
     * @param data        this partition's examples
     * @param replica     this task's index
     * @param replicas    the number of tasks
     * @param globalBatch examples per step over all replicas (>= replicas)
     * @param rowsPerReplica every replica's row count, by replica
     * @param shuffle     whether to shuffle the rows each epoch, with {@code seed}, the replica and the epoch
     */
    ReplicaBatches(PartitionData data, int replica, int replicas, int globalBatch, int[] rowsPerReplica, boolean shuffle,
                   long seed) {
        if (replicas < 1 || replica < 0 || replica >= replicas) {
            throw new IllegalArgumentException("replica " + replica + " of " + replicas);
        }
        if (globalBatch < replicas) {
            throw new IllegalArgumentException("the global batch (" + globalBatch + ") is smaller than the number of "
                    + "workers (" + replicas + "): every worker needs at least one example per step");
        }
        this.xs = data.features().toFloatArray();
        this.intYs = data.labels().dtype() == DType.INT32 ? data.labels().toIntArray() : null;
        this.floatYs = intYs == null ? data.labels().toFloatArray() : null;
        int[] dims = data.features().shape().dims();
        this.exampleShape = Arrays.copyOfRange(dims, 1, dims.length);
        this.rows = data.rows();
        this.width = rows == 0 ? 0 : xs.length / rows;
        this.replica = replica;
        this.replicas = replicas;
        this.localBatch = localBatch(globalBatch, replica, replicas);
        this.steps = stepsPerEpoch(rowsPerReplica, globalBatch);
        this.shuffle = shuffle;
        this.seed = seed;
        if (rowsPerReplica.length != replicas || rowsPerReplica[replica] != rows) {
            throw new IllegalArgumentException("row counts " + Arrays.toString(rowsPerReplica)
                    + " do not list this replica's " + rows + " rows at " + replica);
        }
    }

    /** The steps every replica makes per epoch: the fewest of ceil(rows_r / localBatch_r); a replica with no row fails. */
    static int stepsPerEpoch(int[] rowsPerReplica, int globalBatch) {
        int steps = Integer.MAX_VALUE;
        for (int r = 0; r < rowsPerReplica.length; r++) {
            if (rowsPerReplica[r] < 1) {
                throw new IllegalArgumentException("partition " + r + " holds no rows (rows per partition: "
                        + Arrays.toString(rowsPerReplica) + "); every worker needs data: repartition the "
                        + "DataFrame or use fewer workers");
            }
            steps = Math.min(steps, Math.ceilDiv(rowsPerReplica[r], localBatch(globalBatch, r, rowsPerReplica.length)));
        }
        return steps;
    }

    /** Replica r's share of a global batch: the rows the strategy's shard gives it. */
    static int localBatch(int globalBatch, int replica, int replicas) {
        return (int) ((long) globalBatch * (replica + 1) / replicas - (long) globalBatch * replica / replicas);
    }

    /** Makes the next iteration epoch {@code e} (its shuffle order), for a resumed run. */
    ReplicaBatches startAtEpoch(int e) {
        epoch = e;
        return this;
    }

    /** One example's shape (the features' shape without the batch axis). */
    int[] exampleShape() { return exampleShape.clone(); }

    /** Steps per epoch (the same on every replica). */
    int steps() { return steps; }

    @Override
    public Iterator<Tensor[]> iterator() {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch * 7919L + replica);
            for (int i = rows - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        epoch++;
        return new Iterator<>() {
            private int step;

            @Override public boolean hasNext() { return step < steps; }

            @Override
            public Tensor[] next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = Math.min(rows, step * localBatch);
                int count = Math.min(localBatch, rows - from);
                step++;
                return batch(order, from, count);
            }
        };
    }

    /** The global batch of {@code replicas * count} rows holding rows order[from..from+count) at this replica's slice. */
    private Tensor[] batch(int[] order, int from, int count) {
        int total = replicas * count;
        int at = replica * count;
        float[] x = new float[total * width];
        for (int i = 0; i < count; i++) System.arraycopy(xs, order[from + i] * width, x, (at + i) * width, width);
        int[] dims = new int[exampleShape.length + 1];
        dims[0] = total;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        Tensor xt = Tensor.wrap(DType.FLOAT32, Shape.of(dims), x);
        Tensor yt;
        if (intYs != null) {
            int[] y = new int[total];
            for (int i = 0; i < count; i++) y[at + i] = intYs[order[from + i]];
            yt = Tensor.wrap(DType.INT32, Shape.of(total), y);
        } else {
            float[] y = new float[total];
            for (int i = 0; i < count; i++) y[at + i] = floatYs[order[from + i]];
            yt = Tensor.wrap(DType.FLOAT32, Shape.of(total), y);
        }
        return new Tensor[] {xt, yt};
    }
}
