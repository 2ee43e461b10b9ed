package org.nabla.nn;

import java.util.List;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Synchronous data-parallel training for {@link Model#fit}: how this replica takes its share of each global batch and
 * combines its gradients with the other replicas' before the optimizer update. nabla-distributed's
 * {@code MultiWorkerMirroredStrategy} implements it over a ring all-reduce; nabla-nn knows no transport.
 */
public interface DataParallel {
    /** This replica's rows of a global batch {x..., y...}. */
    Tensor[] shard(Tensor... globalBatch);

    /**
     * The gradients every replica applies: the mean over replicas of each gradient, weighted by the examples each
     * computed it on ({@code localExamples} here). Null gradients stay null.
     */
    List<Tensor> reduceGradients(List<Tensor> grads, long localExamples);

    /**
     * Whether {@link #reduceGradients} also takes symbolic gradients (it records its reduction as ops of the graph
     * being traced): then {@link Model#fit} traces its steps as it does alone; otherwise they run eagerly.
     */
    default boolean reducesSymbolically() { return false; }

    /**
     * For an eager step over {@code variables}: a reduction the tape feeds gradient by gradient as the backward pass
     * finishes them, so the reduction overlaps the rest of the pass; null (the default) when this strategy has
     * none, and the step calls {@link #reduceGradients} after the pass.
     */
    default GradientReduction reduceAsReady(List<Variable> variables, long localExamples) { return null; }
}
