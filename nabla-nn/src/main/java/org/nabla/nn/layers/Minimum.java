package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/** Elementwise minimum of several inputs of one shape (functional API merge layer). */
public final class Minimum extends ElementwiseMerge {
    /** Takes the element-wise minimum of its inputs (same shapes). */
    public Minimum() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.minimum(acc, next); }

    @Override
    Tensor mergeMasked(Tensor[] inputs, Tensor[] masks, CallContext ctx) { return fillMasked(inputs, masks); }
}
