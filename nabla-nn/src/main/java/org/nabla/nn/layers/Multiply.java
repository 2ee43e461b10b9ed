package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;

/** Elementwise product of several inputs of one shape (functional API merge layer). */
public final class Multiply extends ElementwiseMerge {
    /** Multiplies its inputs element-wise (same shapes). */
    public Multiply() {}

    @Override
    Tensor combine(Tensor acc, Tensor next) { return Ops.mul(acc, next); }

    /**
     * Keras' masked product: a masked element counts as 1, and when every input has a mask the steps masked in
     * all of them are 0.
     */
    @Override
    Tensor mergeMasked(Tensor[] inputs, Tensor[] masks, CallContext ctx) {
        boolean all = true;
        for (Tensor m : masks) all &= m != null;
        Tensor out = null, outMask = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i], m = perStep(masks[i]);
            if (m != null) {
                x = Ops.where(m, x, Ops.cast(Tensors.scalar(1.0), x.dtype()));
                if (all) outMask = outMask == null ? m : Ops.logicalOr(outMask, m);
            }
            out = out == null ? x : combine(out, x);
        }
        return all ? Ops.where(outMask, out, Ops.cast(Tensors.scalar(0.0), out.dtype())) : out;
    }
}
