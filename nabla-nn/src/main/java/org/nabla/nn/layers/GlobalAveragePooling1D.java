package org.nabla.nn.layers;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;

/**
 * The mean over the steps of sequences: [N, T, C] to [N, C]. With a mask (from {@code Embedding.maskZero} or
 * {@code Masking}) the mean is over the unmasked steps only, as in Keras (a sequence with every step masked gives
 * NaN there, as in Keras, whose masked steps are multiplied by 0, so a non-finite value there gives NaN too for
 * float32 and float64); the mask stops here.
 */
public final class GlobalAveragePooling1D extends GlobalPooling {
    /** Averages each channel over all steps. */
    public GlobalAveragePooling1D() { super(3, false, "sequences (batch, steps, channels)"); }

    @Override
    protected Tensor[] forwardAll(Tensor[] inputs, Tensor mask, CallContext ctx) {
        if (mask == null) return super.forwardAll(inputs, mask, ctx);
        Tensor x = inputs[0];
        if (x.dtype() == DType.FLOAT32 || x.dtype() == DType.FLOAT64) {
            // Keras' sum(x * mask) / sum(mask) as one batched product [N, 1, T] x [N, T, C]: no [N, T, C] select
            // and reduction forward, and in the backward pass one outer product instead of a broadcast and a select
            Tensor weights = Ops.expandDims(Ops.cast(ElementwiseMerge.bool(mask), x.dtype()), 1);   // [N, 1, T]
            Tensor sum = Ops.squeeze(Ops.matmul(weights, x), 1);                                 // [N, C]
            return new Tensor[] {Ops.div(sum, Ops.sum(weights, 2))};
        }
        Tensor kept = Ops.expandDims(ElementwiseMerge.bool(mask), -1);                     // [N, T, 1]
        Tensor sum = Ops.sum(Ops.where(kept, x, Ops.cast(Tensors.scalar(0.0), x.dtype())), 1);
        return new Tensor[] {Ops.div(sum, Ops.sum(Ops.cast(kept, x.dtype()), 1))};
    }
}
