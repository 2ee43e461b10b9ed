package org.nabla.nn.layers;

import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * A noise layer with a rate in [0, 1) (GaussianDropout, AlphaDropout): active only in training with a non-zero
 * rate, the identity otherwise; the shape and the mask pass through.
 */
abstract class RateNoise extends Layer {
    /** The rate, checked to be in [0, 1). */
    final double rate;
    /** The layer's random draws, keyed by (model seed, layer, step). */
    final RandomDraws draws = new RandomDraws(this);

    RateNoise(String layer, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(layer + ": rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** The noisy output in training (rate above zero). */
    abstract Tensor noisy(Tensor x, CallContext ctx);

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        return !ctx.training() || rate == 0 ? x : noisy(x, ctx);
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
