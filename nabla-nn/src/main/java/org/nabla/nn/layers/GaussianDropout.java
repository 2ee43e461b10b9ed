package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Multiplicative Gaussian noise in training (Keras' {@code GaussianDropout}): each element times a sample of
 * N(1, rate / (1 - rate)), so the mean is kept; the identity at inference.
 */
public final class GaussianDropout extends Layer {
    private final double rate;
    private final RandomDraws draws = new RandomDraws(this);

    /** Noise whose variance matches dropout at {@code rate} in [0, 1). */
    public GaussianDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("GaussianDropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training() || rate == 0) return x;
        Tensor factor = Ops.add(Ops.mul(draws.normal(x, ctx), Math.sqrt(rate / (1 - rate))), 1.0);
        return Ops.mul(x, factor);
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
