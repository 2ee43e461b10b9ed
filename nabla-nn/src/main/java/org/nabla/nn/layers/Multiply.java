package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/** Elementwise product of several inputs of one shape (functional API merge layer). */
public final class Multiply extends ElementwiseMerge {
    /** Multiplies its inputs element-wise (same shapes). */
    public Multiply() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.mul(acc, next); }
}
