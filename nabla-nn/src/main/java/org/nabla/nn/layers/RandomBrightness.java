package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Adds a random brightness offset to each image in training (Keras' {@code RandomBrightness}): a fraction uniform in
 * [lower, upper] of the value range's width, then clipped to the range; one number f means [-f, f].
 */
public final class RandomBrightness extends ColorAugmentation {
    /** Offsets of up to {@code factor} (in [0, 1]) of the value range either way. */
    public RandomBrightness(double factor) { this(-Math.abs(factor), Math.abs(factor)); }

    /** Offsets from min(a, b) to max(a, b) of the value range, each in [-1, 1]. */
    public RandomBrightness(double a, double b) { super(check(Math.min(a, b)), check(Math.max(a, b))); }

    private static double check(double f) {
        if (!(f >= -1 && f <= 1)) {
            throw new IllegalArgumentException("RandomBrightness: factors must be in [-1, 1], got " + f);
        }
        return f;
    }

    @Override
    Tensor adjust(Tensor x, Tensor factor, double rangeWidth) { return Ops.add(x, Ops.mul(factor, rangeWidth)); }
}
