package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/**
 * Rotates each image in training by a random angle about its centre (Keras' {@code RandomRotation}): the angle is
 * uniform in [lower, upper] fractions of a full turn (a factor f means [-f, f]); positive angles turn
 * counter-clockwise. The identity at inference.
 */
public final class RandomRotation extends AffineAugmentation {
    private final double lower;
    private final double upper;

    /** Angles in [-factor, factor] turns. */
    public RandomRotation(double factor) { this(-Math.abs(factor), Math.abs(factor)); }

    /** Angles in [lower, upper] turns (e.g. 0.25 is 90 degrees). */
    public RandomRotation(double lower, double upper) {
        double[] r = range("RandomRotation", "factor", lower, upper);
        this.lower = r[0];
        this.upper = r[1];
    }

    @Override
    Tensor transforms(Tensor x, int h, int w, CallContext ctx) {
        Tensor angle = draw(x, ctx, 0, lower * 2 * Math.PI, upper * 2 * Math.PI);
        Tensor cos = Ops.cos(angle), sin = Ops.sin(angle);
        double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
        // rotation about (cx, cy): a2 = cx - cx a0 - cy a1, b2 = cy - cx b0 - cy b1
        Tensor a2 = Ops.add(Ops.sub(Ops.mul(cos, -cx), Ops.mul(sin, -cy)), cx);
        Tensor b2 = Ops.add(Ops.sub(Ops.mul(sin, -cx), Ops.mul(cos, cy)), cy);
        return rows(angle, cos, Ops.neg(sin), a2, sin, cos, b2, 0, 0);
    }
}
