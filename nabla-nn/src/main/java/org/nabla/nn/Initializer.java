package org.nabla.nn;

import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Makes the initial value of a weight: a concrete float32 tensor of {@code shape}, deterministic given {@code seed}.
 * Computed in plain Java (never as ops), so layers can be built inside a trace.
 */
@FunctionalInterface
public interface Initializer {
    /** A new float32 tensor of {@code shape}, the same for the same seed. */
    Tensor initialize(Shape shape, long seed);
}
