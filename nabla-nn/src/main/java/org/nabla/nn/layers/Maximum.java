package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/** Elementwise maximum of several inputs of one shape (functional API merge layer). */
public final class Maximum extends ElementwiseMerge {
    /** Takes the element-wise maximum of its inputs (same shapes). */
    public Maximum() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.maximum(acc, next); }

    @Override
    Tensor mergeMasked(Tensor[] inputs, Tensor[] masks, CallContext ctx) { return fillMasked(inputs, masks); }
}
