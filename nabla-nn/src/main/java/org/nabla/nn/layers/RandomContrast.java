package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Scales each image's deviation from its per-channel mean by a random contrast factor in training (Keras'
 * {@code RandomContrast}): {@code (x - mean) * c + mean}, then clipped to the value range. The factor is uniform in
 * [1 - lower, 1 + upper]; one number f means (0, f), i.e. [1, 1 + f], as Keras 3.15 reads it.
 */
public final class RandomContrast extends ColorAugmentation {
    /** Contrast factors in [1, 1 + factor] (Keras 3.15's reading of one number). */
    public RandomContrast(double factor) { this(0, Math.abs(factor)); }

    /** Contrast factors from 1 - min(a, b) to 1 + max(a, b) (Keras sorts the pair), each bound in [-1, 1]. */
    public RandomContrast(double a, double b) {
        super(1 - check(Math.min(a, b)), 1 + check(Math.max(a, b)));
    }

    private static double check(double f) {
        if (!(f >= -1 && f <= 1)) {
            throw new IllegalArgumentException("RandomContrast: factors must be in [-1, 1], got " + f);
        }
        return f;
    }

    @Override
    Tensor adjust(Tensor x, Tensor factor, double rangeWidth) {
        Tensor mean = Ops.mean(x, true, 1, 2);
        return Ops.add(Ops.mul(Ops.sub(x, mean), factor), mean);
    }
}
