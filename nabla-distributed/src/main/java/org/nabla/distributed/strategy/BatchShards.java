package org.nabla.distributed.strategy;

import org.nabla.Ops;
import org.nabla.Tensor;

/** How a replica takes its rows of a global batch: of B rows, replica r of n takes rows [r*B/n, (r+1)*B/n). */
final class BatchShards {
    private BatchShards() {}

    /** Replica {@code replica}'s rows of every tensor of {@code globalBatch} (all with the same number of rows). */
    static Tensor[] rows(int replica, int replicas, Tensor... globalBatch) {
        Tensor[] out = new Tensor[globalBatch.length];
        long rows = -1;
        for (int i = 0; i < globalBatch.length; i++) {
            Tensor t = globalBatch[i];
            if (t == null || t.rank() == 0) throw new IllegalArgumentException("shard: tensor " + i + " has no batch axis");
            long b = t.shape().dim(0);
            if (rows >= 0 && b != rows) {
                throw new IllegalArgumentException("shard: tensor " + i + " has " + b + " rows, tensor 0 has " + rows);
            }
            rows = b;
            int from = (int) (b * replica / replicas);
            int to = (int) (b * (replica + 1) / replicas);
            int[] begin = new int[t.rank()];
            int[] size = new int[t.rank()];
            begin[0] = from;
            size[0] = to - from;
            for (int d = 1; d < t.rank(); d++) size[d] = (int) t.shape().dim(d);
            out[i] = Ops.slice(t, begin, size);
        }
        return out;
    }
}
