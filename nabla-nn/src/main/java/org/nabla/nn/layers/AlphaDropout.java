package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/**
 * Dropout for self-normalizing (selu) networks (Keras' {@code AlphaDropout}): in training dropped elements take selu's
 * negative saturation value and an affine map {@code a x + b} restores zero mean and unit variance of standardized
 * inputs; the identity at inference.
 */
public final class AlphaDropout extends RateNoise {
    private static final double ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

    /** Drops each element with probability {@code rate} in [0, 1). */
    public AlphaDropout(double rate) { super("AlphaDropout", rate); }

    @Override
    Tensor noisy(Tensor x, CallContext ctx) {
        Tensor kept = Ops.cast(Ops.greaterEqual(draws.uniform(x, x.rank(), new int[0], ctx, 0), rate), x.dtype());
        double a = Math.pow((1 - rate) * (1 + rate * ALPHA_P * ALPHA_P), -0.5), b = -a * ALPHA_P * rate;
        // kept: a x + b; dropped: a alpha_p + b
        Tensor mixed = Ops.add(Ops.mul(x, kept), Ops.mul(Ops.sub(1.0, kept), ALPHA_P));
        return Ops.add(Ops.mul(mixed, a), b);
    }
}
