package org.nabla.distributed.strategy;

import org.nabla.distributed.Server;
import org.nabla.distributed.collective.CollectiveGroup;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.DataParallel;
import org.nabla.nn.optimizers.Optimizer;

/**
 * Synchronous data-parallel training over the tasks of a job (TensorFlow's
 * {@code tf.distribute.MultiWorkerMirroredStrategy}), for eager custom training loops and for {@code Model.fit}
 * ({@code model.distribute(strategy)}, as nabla-nn's {@link DataParallel}): every task holds a replica of
 * the model, takes its {@link #shard} of each global batch, computes gradients with a {@code GradientTape}, and
 * {@link #applyGradients} averages them over all replicas with a ring all-reduce before the same optimizer update,
 * so the replicas stay identical. The average is weighted by each replica's number of examples, so with a mean loss
 * the update equals one process training on the global batch (up to float rounding). {@link #syncVariables} copies
 * replica 0's values to every replica (when initial weights were not drawn from the same seed).
 *
 * <p>Every replica must make the same calls in the same order (they are collectives). Not thread-safe.
 */
public final class MultiWorkerMirroredStrategy implements DataParallel {
    private final CollectiveGroup group;

    public MultiWorkerMirroredStrategy(CollectiveGroup group) {
        if (group == null) throw new IllegalArgumentException("MultiWorkerMirroredStrategy: group is null");
        this.group = group;
    }

    /** The strategy over the tasks of {@code server}'s job. */
    public static MultiWorkerMirroredStrategy of(Server server) { return new MultiWorkerMirroredStrategy(server.collectives()); }

    /** Number of replicas (tasks of the job). */
    public int replicas() { return group.size(); }

    /** This replica's index, 0 .. replicas - 1. */
    public int replicaId() { return group.rank(); }

    /** Whether this is replica 0 (the one that logs and saves). */
    public boolean isChief() { return group.rank() == 0; }

    public CollectiveGroup group() { return group; }

    /**
     * This replica's rows of a global batch: of B rows, replica r takes rows [r*B/n, (r+1)*B/n) of every tensor
     * (inputs and targets alike). A replica may get no row when B &lt; n.
     */
    @Override
    public Tensor[] shard(Tensor... globalBatch) {
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
            int n = replicas();
            int from = (int) (b * replicaId() / n);
            int to = (int) (b * (replicaId() + 1) / n);
            int[] begin = new int[t.rank()];
            int[] size = new int[t.rank()];
            begin[0] = from;
            size[0] = to - from;
            for (int d = 1; d < t.rank(); d++) size[d] = (int) t.shape().dim(d);
            out[i] = Ops.slice(t, begin, size);
        }
        return out;
    }

    /**
     * The mean over all replicas of each gradient, weighted by the examples each replica computed it on
     * ({@code localExamples}: the rows of this replica's shard). Null gradients (variables the loss does not use)
     * stay null; every replica must have them at the same positions.
     */
    @Override
    public List<Tensor> reduceGradients(List<Tensor> grads, long localExamples) {
        if (localExamples < 0) throw new IllegalArgumentException("reduceGradients: localExamples < 0");
        List<Tensor> send = new ArrayList<>();
        for (Tensor g : grads) if (g != null) send.add(scaled(g, localExamples));
        send.add(Tensors.of(new double[] {localExamples}, 1));       // the global example count rides along
        List<Tensor> summed = group.allReduce(send);
        double total = summed.getLast().toDoubleArray()[0];
        if (total <= 0) throw new IllegalStateException("reduceGradients: no replica had any example");
        List<Tensor> out = new ArrayList<>();
        int k = 0;
        for (Tensor g : grads) out.add(g == null ? null : scaled(summed.get(k++), 1 / total));
        return out;
    }

    /** {@link #reduceGradients} then {@code optimizer.applyGradients}: the same update on every replica. */
    public void applyGradients(Optimizer optimizer, List<Tensor> grads, List<Variable> vars, long localExamples) {
        optimizer.applyGradients(reduceGradients(grads, localExamples), vars);
    }

    /** Gives every replica replica 0's values of {@code vars} (float32/float64 variables). */
    public void syncVariables(List<Variable> vars) {
        List<Tensor> send = new ArrayList<>();
        for (Variable v : vars) {
            Tensor value = v.read();
            send.add(isChief() ? value : scaled(value, 0));
        }
        List<Tensor> values = group.allReduce(send);
        for (int i = 0; i < vars.size(); i++) vars.get(i).assign(values.get(i));
    }

    /** {@code t * c} computed in t's dtype (float32 or float64); c = 0 gives zeros even where t is NaN. */
    private static Tensor scaled(Tensor t, double c) {
        Shape s = t.shape();
        if (t.dtype() == DType.FLOAT32) {
            float[] v = c == 0 ? new float[(int) t.size()] : t.toFloatArray().clone();
            if (c != 0) for (int i = 0; i < v.length; i++) v[i] *= (float) c;
            return Tensor.wrap(DType.FLOAT32, s, v);
        }
        if (t.dtype() == DType.FLOAT64) {
            double[] v = c == 0 ? new double[(int) t.size()] : t.toDoubleArray().clone();
            if (c != 0) for (int i = 0; i < v.length; i++) v[i] *= c;
            return Tensor.wrap(DType.FLOAT64, s, v);
        }
        throw new IllegalArgumentException("only float32 and float64 values are reduced, got " + t.dtype());
    }
}
