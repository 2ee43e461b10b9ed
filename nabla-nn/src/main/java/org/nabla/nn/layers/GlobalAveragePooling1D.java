package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;

/**
 * The mean over the steps of sequences: [N, T, C] to [N, C]. With a mask (from {@code Embedding.maskZero} or
 * {@code Masking}) the mean is over the unmasked steps only, as in Keras (a sequence with every step masked gives
 * NaN there, as in Keras); the mask stops here.
 */
public final class GlobalAveragePooling1D extends GlobalPooling {
    /** Averages each channel over all steps. */
    public GlobalAveragePooling1D() { super(3, false, "sequences (batch, steps, channels)"); }

    @Override
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        if (mask == null) return super.forwardAll(inputs, mask, ctx);
        Tensor x = inputs[0];
        Tensor kept = Ops.expandDims(ElementwiseMerge.bool(mask), -1);                     // [N, T, 1]
        Tensor sum = Ops.sum(Ops.where(kept, x, Ops.cast(Tensors.scalar(0.0), x.dtype())), 1);
        return new Tensor[] {Ops.div(sum, Ops.sum(Ops.cast(kept, x.dtype()), 1))};
    }
}
