package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Dropout for self-normalizing (selu) networks (Keras' {@code AlphaDropout}): in training dropped elements take selu's
 * negative saturation value and an affine map {@code a x + b} restores zero mean and unit variance of standardized
 * inputs; the identity at inference.
 */
public final class AlphaDropout extends Layer {
    private static final double ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
    private final double rate;
    private final RandomDraws draws = new RandomDraws(this);

    /** Drops each element with probability {@code rate} in [0, 1). */
    public AlphaDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("AlphaDropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training() || rate == 0) return x;
        Tensor kept = Ops.cast(Ops.greaterEqual(draws.uniform(x, x.rank(), new int[0], ctx, 0), rate), x.dtype());
        double a = Math.pow((1 - rate) * (1 + rate * ALPHA_P * ALPHA_P), -0.5), b = -a * ALPHA_P * rate;
        // kept: a x + b; dropped: a alpha_p + b
        Tensor mixed = Ops.add(Ops.mul(x, kept), Ops.mul(Ops.sub(1.0, kept), ALPHA_P));
        return Ops.add(Ops.mul(mixed, a), b);
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
