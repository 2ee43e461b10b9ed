package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/** Elementwise mean of several inputs of one shape (functional API merge layer). */
public final class Average extends ElementwiseMerge {
    /** Averages its inputs element-wise (same shapes). */
    public Average() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.add(acc, next); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor sum = super.forward(inputs, ctx);
        return Ops.div(sum, Ops.cast(org.nabla.Tensors.scalar((double) inputs.length), sum.dtype()));
    }
}
