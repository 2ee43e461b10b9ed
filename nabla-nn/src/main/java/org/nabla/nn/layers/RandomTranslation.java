package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/**
 * Shifts each image in training (Keras' {@code RandomTranslation}): by a fraction of its height uniform in
 * [hLower, hUpper] down and of its width in [wLower, wUpper] right (a factor f means [-f, f]). The identity at
 * inference.
 */
public final class RandomTranslation extends AffineAugmentation {
    private final double[] height;
    private final double[] width;

    /** Shifts of up to {@code heightFactor} of the height and {@code widthFactor} of the width either way. */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this(-Math.abs(heightFactor), Math.abs(heightFactor), -Math.abs(widthFactor), Math.abs(widthFactor));
    }

    /** Shifts in [hLower, hUpper] heights down and [wLower, wUpper] widths right. */
    public RandomTranslation(double hLower, double hUpper, double wLower, double wUpper) {
        height = range("RandomTranslation", "height factor", hLower, hUpper);
        width = range("RandomTranslation", "width factor", wLower, wUpper);
    }

    @Override
    Tensor transforms(Tensor x, int h, int w, CallContext ctx) {
        Tensor dy = Ops.mul(draw(x, ctx, 0, height[0], height[1]), (double) h);
        Tensor dx = Ops.mul(draw(x, ctx, 1, width[0], width[1]), (double) w);
        return rows(dy, 1, 0, Ops.neg(dx), 0, 1, Ops.neg(dy), 0, 0);
    }
}
