package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;
import org.nabla.nn.TrainingOps;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the rest scaled by
 * 1/(1-rate); at inference the identity. The mask is keyed by the model seed, this layer and the model's step
 * counter (a run-time tensor), so each step draws a new mask, traced or eager alike, and training is deterministic
 * given the seed.
 */
public final class Dropout extends Layer {
    private final double rate;

    /** Drops each element with probability {@code rate} in [0, 1) in training; throws for another rate. */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** The probability of dropping an element. */
    public double rate() { return rate; }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        if (!ctx.training() || rate == 0) return inputs[0];
        if (ctx.step() == null) return Ops.dropout(inputs[0], rate);
        return TrainingOps.stepDropout(inputs[0], ctx.step(), rate, ctx.seed() * 0x9E3779B97F4A7C15L + seed());
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
