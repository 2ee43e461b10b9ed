package org.nabla.nn;

import java.util.List;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.optimizers.Optimizer;

/**
 * Parameter-server training for {@link Model#fit}: the trainable variables live elsewhere (on parameter servers);
 * before each step this replica {@link #pull}s their values into its local copies, and instead of the local optimizer
 * update it {@link #push}es its gradients, which are applied where the variables live. nabla-distributed's
 * {@code ParameterServerStrategy} implements it over gRPC; nabla-nn knows no transport.
 */
public interface ParameterStrategy {
    /** This replica's rows of a global batch {x..., y...}. */
    Tensor[] shard(Tensor... globalBatch);

    /** Copies the current values of {@code vars} into them (for a synchronous strategy: after the last step's update). */
    void pull(List<Variable> vars);

    /**
     * Sends the gradients of {@code vars} (computed on {@code localExamples} rows; null: none) to be applied with
     * {@code optimizer}'s update where the variables live; the local copies are unchanged until the next pull.
     */
    void push(Optimizer optimizer, List<Tensor> grads, List<Variable> vars, long localExamples);
}
