package org.nabla.nn.metrics;

import org.nabla.Tensor;

/**
 * A metric computed per batch as a scalar tensor (the batch mean; runs inside the traced step) and averaged over an
 * epoch by the model, weighted by batch size.
 */
public interface Metric {
    /** The name in logs and history ("accuracy"; "val_" is prefixed for validation). */
    String name();

    /** The batch value: the mean over the batch's examples. */
    Tensor batchValue(Tensor yTrue, Tensor yPred);
}
