package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;

/** The first input minus the second, of one shape (functional API merge layer). */
public final class Subtract extends ElementwiseMerge {
    /** Subtracts its second input from its first (same shapes). */
    public Subtract() {}

    @Override
    int arity() { return 2; }

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.sub(acc, next); }
}
