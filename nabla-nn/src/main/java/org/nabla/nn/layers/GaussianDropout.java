package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/**
 * Multiplicative Gaussian noise in training (Keras' {@code GaussianDropout}): each element times a sample of
 * N(1, rate / (1 - rate)), so the mean is kept; the identity at inference.
 */
public final class GaussianDropout extends RateNoise {
    /** Noise whose variance matches dropout at {@code rate} in [0, 1). */
    public GaussianDropout(double rate) { super("GaussianDropout", rate); }

    @Override
    Tensor noisy(Tensor x, CallContext ctx) {
        Tensor factor = Ops.add(Ops.mul(draws.normal(x, ctx), Math.sqrt(rate / (1 - rate))), 1.0);
        return Ops.mul(x, factor);
    }
}
