package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Additive zero-centred Gaussian noise of standard deviation {@code stddev} in training (Keras' {@code GaussianNoise},
 * a regularizer); the identity at inference. Draws are keyed by the model seed and step, as Dropout's masks.
 */
public final class GaussianNoise extends Layer {
    private final double stddev;
    private final RandomDraws draws = new RandomDraws(this);

    /** Noise of standard deviation {@code stddev} (>= 0). */
    public GaussianNoise(double stddev) {
        if (!(stddev >= 0)) throw new IllegalArgumentException("GaussianNoise: stddev must be >= 0, got " + stddev);
        this.stddev = stddev;
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training() || stddev == 0) return x;
        return Ops.add(x, Ops.mul(draws.normal(x, ctx), stddev));
    }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
