package org.nabla.distributed.strategy;

import org.nabla.distributed.Server;
import org.nabla.distributed.collective.CollectiveGroup;
import org.nabla.distributed.collective.CollectiveOps;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.nn.DataParallel;
import org.nabla.nn.GradientReduction;
import org.nabla.nn.optimizers.Optimizer;

/**
 * Synchronous data-parallel training over the tasks of a job (TensorFlow's
 * {@code tf.distribute.MultiWorkerMirroredStrategy}), for eager custom training loops and for {@code Model.fit}
 * ({@code model.distribute(strategy)}, as nabla-nn's {@link DataParallel}): every task holds a replica of
 * the model, takes its {@link #shard} of each global batch, computes gradients with a {@code GradientTape}, and
 * {@link #applyGradients} averages them over all replicas with a ring all-reduce before the same optimizer update,
 * so the replicas stay identical. The average is weighted by each replica's number of examples, so with a mean loss
 * the update equals one process training on the global batch (up to float rounding). {@link #syncVariables} copies
 * replica 0's values to every replica (when initial weights were not drawn from the same seed). The reduction is
 * made of {@code CollectiveAllReduce} ops ({@link CollectiveOps}), so it runs eagerly in a custom loop and becomes
 * part of the graph when the step is traced ({@code Model.fit} traces its steps with this strategy, as without one).
 *
 * <p>Every replica must make the same calls in the same order (they are collectives). Not thread-safe.
 */
public final class MultiWorkerMirroredStrategy implements DataParallel {
    private final CollectiveGroup group;
    private final long packBytes;

    public MultiWorkerMirroredStrategy(CollectiveGroup group) { this(group, CollectiveGroup.DEFAULT_BUCKET_BYTES); }

    /** The strategy over {@code group}, reducing gradients in all-reduce ops of about {@code packBytes} each. */
    public MultiWorkerMirroredStrategy(CollectiveGroup group, long packBytes) {
        if (group == null) throw new IllegalArgumentException("MultiWorkerMirroredStrategy: group is null");
        if (packBytes < 1) throw new IllegalArgumentException("MultiWorkerMirroredStrategy: packBytes must be >= 1, "
                + "got " + packBytes);
        this.group = group;
        this.packBytes = packBytes;
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

    /** About how many bytes of gradients one all-reduce op of {@link #reduceGradients} carries. */
    public long packBytes() { return packBytes; }

    /** This strategy with all-reduce ops of about {@code bytes} of gradients each. */
    public MultiWorkerMirroredStrategy withPackBytes(long bytes) { return new MultiWorkerMirroredStrategy(group, bytes); }

    /** True: {@link #reduceGradients} also takes symbolic gradients, so {@code Model.fit} may trace its steps. */
    @Override
    public boolean reducesSymbolically() { return true; }

    /**
     * This replica's rows of a global batch: of B rows, replica r takes rows [r*B/n, (r+1)*B/n) of every tensor
     * (inputs and targets alike). A replica may get no row when B &lt; n.
     */
    @Override
    public Tensor[] shard(Tensor... globalBatch) { return BatchShards.rows(replicaId(), replicas(), globalBatch); }

    /**
     * The mean over all replicas of each gradient, weighted by the examples each replica computed it on
     * ({@code localExamples}: the rows of this replica's shard). Null gradients (variables the loss does not use)
     * stay null; every replica must have them at the same positions. Works on eager gradients (the all-reduce runs
     * now) and on symbolic ones while a step is traced (it becomes {@code CollectiveAllReduce} nodes of the step's
     * graph): the gradients are packed, last variable first (the backward pass produces the last layers' gradients
     * first), into ops of about {@link #packBytes()} each, so a traced step may reduce a pack while the backward pass
     * still computes the next. The global example count rides in the first pack.
     */
    @Override
    public List<Tensor> reduceGradients(List<Tensor> grads, long localExamples) {
        if (localExamples < 0) {
            throw new IllegalArgumentException("reduceGradients: localExamples must be >= 0, got " + localExamples
                    + " (a batch dimension unknown when the step was traced?)");
        }
        List<List<Integer>> packs = packs(grads);
        List<List<Tensor>> summed = new ArrayList<>();
        for (int p = 0; p < packs.size(); p++) summed.add(reducePack(p, pick(grads, packs.get(p)), localExamples));
        return divided(grads.size(), packs, summed);
    }

    /**
     * Eager steps: a {@link GradientReduction} that all-reduces the gradients pack by pack as the tape finishes them,
     * on another thread, making the same packs and ops as {@link #reduceGradients}.
     */
    @Override
    public GradientReduction reduceAsReady(List<Variable> variables, long localExamples) {
        if (localExamples < 0) throw new IllegalArgumentException("reduceAsReady: localExamples < 0");
        return new ReductionAsReady(this, variables.size(), localExamples);
    }

    /** The positions of the non-null gradients, last first, cut into packs of about {@link #packBytes} each. */
    private List<List<Integer>> packs(List<Tensor> grads) {
        List<List<Integer>> packs = new ArrayList<>();
        List<Integer> pack = new ArrayList<>();
        long bytes = 0;
        for (int i = grads.size() - 1; i >= 0; i--) {
            Tensor g = grads.get(i);
            if (g == null) continue;
            pack.add(i);
            bytes += bytes(g, i);
            if (bytes >= packBytes) {
                packs.add(pack);
                pack = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!pack.isEmpty()) packs.add(pack);
        return packs;
    }

    /** Gradient {@code i}'s bytes in a pack; fails unless it is float32 or float64. */
    static long bytes(Tensor g, int i) {
        if (g.dtype() != DType.FLOAT32 && g.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("reduceGradients: gradient " + i + " is " + g.spec()
                    + "; only float32 and float64 gradients are reduced");
        }
        return Math.max(1, g.shape().size()) * g.dtype().byteSize();
    }

    private static List<Tensor> pick(List<Tensor> grads, List<Integer> positions) {
        List<Tensor> out = new ArrayList<>(positions.size());
        for (int i : positions) out.add(grads.get(i));
        return out;
    }

    /**
     * The sums over the replicas of pack {@code p}'s gradients, each weighted by {@code examples}; pack 0 also
     * carries the example count (its sum is the last element of the result).
     */
    List<Tensor> reducePack(int p, List<Tensor> pack, long examples) {
        List<Tensor> send = new ArrayList<>(pack.size() + 1);
        for (Tensor g : pack) send.add(weighted(g, examples));
        if (p == 0) send.add(constantLike(pack.get(0), examples));
        return CollectiveOps.allReduce(group, "grads/" + p, false, send);
    }

    /** The reduced gradients of {@code n} variables: each pack's sums divided by the total example count. */
    static List<Tensor> divided(int n, List<List<Integer>> packs, List<List<Tensor>> summed) {
        Tensor[] out = new Tensor[n];
        if (packs.isEmpty()) return java.util.Arrays.asList(out);
        Tensor total = summed.get(0).getLast();
        if (!total.isSymbolic() && total.doubleValue() <= 0) {
            throw new IllegalStateException("reduceGradients: no replica had any example");
        }
        for (int p = 0; p < packs.size(); p++) {
            List<Integer> pack = packs.get(p);
            for (int k = 0; k < pack.size(); k++) {
                Tensor g = summed.get(p).get(k);
                out[pack.get(k)] = Ops.div(g, total.dtype() == g.dtype() ? total : Ops.cast(total, g.dtype()));
            }
        }
        return java.util.Arrays.asList(out);
    }

    /** {@code g * examples}; zeros when there are none (even where a gradient over an empty shard is NaN). */
    private static Tensor weighted(Tensor g, long examples) {
        return examples == 0 ? Ops.zerosLike(g) : Ops.mul(g, constantLike(g, examples));
    }

    /** The scalar {@code v} in {@code like}'s dtype (float32 holds example counts exactly up to 2^24). */
    private static Tensor constantLike(Tensor like, long v) {
        return like.dtype() == DType.FLOAT32 ? Tensors.scalar((float) v) : Tensors.scalar((double) v);
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
            send.add(isChief() ? value : CollectiveGroup.scaled(value, 0));
        }
        List<Tensor> values = group.allReduce(send);
        for (int i = 0; i < vars.size(); i++) vars.get(i).assign(values.get(i));
    }
}
