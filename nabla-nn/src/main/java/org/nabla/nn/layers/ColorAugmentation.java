package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Shared base of {@link RandomContrast} and {@link RandomBrightness}: one random factor per NHWC image in training,
 * the result clipped to the value range (default [0, 255], Keras'); the identity at inference.
 */
public abstract class ColorAugmentation extends Layer {
    private final double lower;
    private final double upper;
    private double low = 0;
    private double high = 255;
    private final RandomDraws draws = new RandomDraws(this);

    /** Factors {@code lower + u * (upper - lower)}, u uniform in [0, 1) (Keras' order, whichever bound is larger). */
    ColorAugmentation(double lower, double upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /** The range pixel values lie in, which outputs are clipped to (default 0 to 255). */
    public ColorAugmentation valueRange(double min, double max) {
        if (!(min < max)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": value range must have min < max, got "
                    + min + ", " + max);
        }
        low = min;
        high = max;
        return this;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The adjusted images before clipping, given one factor per image ([N, 1, 1, 1], uniform in the range). */
    abstract Tensor adjust(Tensor x, Tensor factor, double rangeWidth);

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training()) return x;
        Tensor u = draws.uniform(x, 1, new int[] {1, 1, 1}, ctx, 0);
        Tensor factor = Ops.add(Ops.mul(u, upper - lower), lower);
        return Ops.clip(adjust(x, factor, high - low), low, high);
    }
}
