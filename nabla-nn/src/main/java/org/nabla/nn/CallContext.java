package org.nabla.nn;

import org.nabla.Tensor;

/**
 * What a layer call needs besides its inputs: whether it is training (dropout active, batch norm on batch
 * statistics and updating its moving averages), and for training the model's random step: an int64 scalar tensor
 * (the model's step counter, read at run time so a traced step sees a new value each call) and the model seed.
 * Random layers key their masks by (seed, layer, step), so training is deterministic given the seed.
 */
public record CallContext(boolean training, Tensor step, long seed) {
    /** Inference: no dropout, moving statistics. */
    public static final CallContext INFERENCE = new CallContext(false, null, 0);

    /** Training with the given step tensor and seed. */
    public static CallContext training(Tensor step, long seed) { return new CallContext(true, step, seed); }
}
